// Types for emulator/schema.js.

export type Schema = Record<string, unknown> | boolean

/** Messages, one per problem, each starting with the JSON path of the offending value. */
export function validate(schema: Schema, value: unknown, root?: object, path?: string): string[]

export interface Contract {
  document: { components: { schemas: Record<string, Schema> } }
  schemaFor(name: string): Schema
  validate(nameOrSchema: string | Schema, value: unknown): string[]
}

/** Reads emulator/polyai-agents-openapi.json once. */
export function loadContract(): Contract
