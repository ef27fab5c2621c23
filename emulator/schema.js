// A small JSON-schema validator for the subset PolyAI's OpenAPI file uses, and the contract loader.
// Node built-ins only, so the emulator runs on a fresh clone without `npm install`.
import { readFileSync } from 'node:fs'

/** @typedef {Record<string, unknown> | boolean} Schema */

const CONTRACT_URL = new URL('./polyai-agents-openapi.json', import.meta.url)

/**
 * Validates `value` against `schema`. `$ref`s ('#/...') resolve inside `root`.
 * Supports: type (string or list), nullable, enum, $ref, allOf, properties, required,
 * additionalProperties (boolean or schema), items, min/maxItems, min/maxLength, pattern.
 * Annotations (description, default, example, title, format) are ignored.
 * @param {Schema} schema
 * @param {unknown} value
 * @param {object} [root] the document that `$ref`s point into
 * @param {string} [path] JSON path of `value`, used in messages
 * @returns {string[]} one message per problem, each starting with the JSON path
 */
export function validate(schema, value, root = {}, path = '$') {
  /** @type {string[]} */
  const errors = []
  check(schema, value, root, path, errors)
  return errors
}

/**
 * @param {Schema} schema @param {unknown} value @param {object} root
 * @param {string} path @param {string[]} errors
 */
function check(schema, value, root, path, errors) {
  if (schema === true || schema === undefined) return
  if (schema === false) {
    errors.push(`${path}: no value is allowed here`)
    return
  }
  if (value === null && schema.nullable === true) return
  if (typeof schema.$ref === 'string') {
    check(resolveRef(schema.$ref, root), value, root, path, errors)
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) check(part, value, root, path, errors)
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    if (!types.some((type) => hasType(value, type))) {
      errors.push(`${path}: expected ${types.join(' or ')}, got ${describeType(value)}`)
      return // the keywords below would only repeat the same problem
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => sameJson(allowed, value))) {
    errors.push(`${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  }
  if (typeof value === 'string') checkString(schema, value, path, errors)
  else if (Array.isArray(value)) checkArray(schema, value, root, path, errors)
  else if (isPlainObject(value)) checkObject(schema, value, root, path, errors)
}

/** @param {Record<string, unknown>} schema @param {string} value @param {string} path @param {string[]} errors */
function checkString(schema, value, path, errors) {
  const length = [...value].length
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    errors.push(`${path}: shorter than ${schema.minLength} characters`)
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    errors.push(`${path}: longer than ${schema.maxLength} characters`)
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    errors.push(`${path}: does not match ${schema.pattern}`)
  }
}

/**
 * @param {Record<string, unknown>} schema @param {unknown[]} value @param {object} root
 * @param {string} path @param {string[]} errors
 */
function checkArray(schema, value, root, path, errors) {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    errors.push(`${path}: fewer than ${schema.minItems} items`)
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    errors.push(`${path}: more than ${schema.maxItems} items`)
  }
  if (schema.items !== undefined) {
    value.forEach((item, index) => check(/** @type {Schema} */ (schema.items), item, root, `${path}[${index}]`, errors))
  }
}

/**
 * @param {Record<string, unknown>} schema @param {Record<string, unknown>} value @param {object} root
 * @param {string} path @param {string[]} errors
 */
function checkObject(schema, value, root, path, errors) {
  const properties = /** @type {Record<string, Schema>} */ (schema.properties ?? {})
  for (const name of /** @type {string[]} */ (schema.required ?? [])) {
    if (!(name in value)) errors.push(`${childPath(path, name)}: is required`)
  }
  for (const [name, propertyValue] of Object.entries(value)) {
    if (Object.hasOwn(properties, name)) {
      check(properties[name], propertyValue, root, childPath(path, name), errors)
    } else if (schema.additionalProperties === false) {
      errors.push(`${childPath(path, name)}: unexpected property`)
    } else if (isPlainObject(schema.additionalProperties)) {
      check(/** @type {Schema} */ (schema.additionalProperties), propertyValue, root, childPath(path, name), errors)
    }
  }
}

/** @param {string} ref @param {object} root @returns {Schema} */
function resolveRef(ref, root) {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}: only local references are`)
  /** @type {unknown} */
  let target = root
  for (const token of ref.slice(2).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~')
    target = isPlainObject(target) ? target[key] : undefined
  }
  if (target === undefined) throw new Error(`$ref ${ref} points at nothing`)
  return /** @type {Schema} */ (target)
}

/** @param {unknown} value @param {string} type */
function hasType(value, type) {
  switch (type) {
    case 'null': return value === null
    case 'string': return typeof value === 'string'
    case 'boolean': return typeof value === 'boolean'
    case 'integer': return Number.isInteger(value)
    case 'number': return typeof value === 'number' && Number.isFinite(value)
    case 'array': return Array.isArray(value)
    case 'object': return isPlainObject(value)
    default: return false
  }
}

/** @param {unknown} value */
function describeType(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (Number.isInteger(value)) return 'integer'
  return typeof value
}

/** @param {unknown} value @returns {value is Record<string, any>} */
function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** @param {unknown} a @param {unknown} b */
function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** @param {string} path @param {string} name */
function childPath(path, name) {
  return /^[A-Za-z_$][\w$-]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`
}

/** @type {ReturnType<typeof buildContract> | undefined} */
let cachedContract

/**
 * Reads emulator/polyai-agents-openapi.json once and gives access to its component schemas.
 */
export function loadContract() {
  cachedContract ??= buildContract(JSON.parse(readFileSync(CONTRACT_URL, 'utf8')))
  return cachedContract
}

/** @param {{ components: { schemas: Record<string, Schema> } }} document */
function buildContract(document) {
  /** @param {string} name @returns {Schema} */
  function schemaFor(name) {
    const schema = document.components.schemas[name]
    if (schema === undefined) throw new Error(`the contract has no schema named ${name}`)
    return schema
  }
  return {
    document,
    schemaFor,
    /**
     * @param {string | Schema} nameOrSchema a component name, or a schema whose $refs point into the contract
     * @param {unknown} value
     */
    validate(nameOrSchema, value) {
      const schema = typeof nameOrSchema === 'string' ? schemaFor(nameOrSchema) : nameOrSchema
      return validate(schema, value, document)
    }
  }
}
