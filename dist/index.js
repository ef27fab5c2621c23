import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 9407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9067);

// A cancelled workflow gets SIGINT, then SIGTERM. The first stops all waiting (a write in flight may
// finish, so its outcome is known and reported); the second abandons that write too.
const cancel = new AbortController();
const abandon = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
        process.exitCode = 1;
        if (!cancel.signal.aborted)
            return cancel.abort();
        abandon.abort();
        // Reporting takes milliseconds; this only guards against something that will not let go.
        setTimeout(() => process.exit(1), 2000).unref();
    });
}
await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)(cancel.signal, abandon.signal);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 9067:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

;// CONCATENATED MODULE: ./src/errors.ts
/** Expected failures: each is reported as one clear line, never with a stack trace. */
/** An input that is missing, malformed or contradicts another; raised before any request. */
class InputError extends Error {
    constructor(input, problem) {
        super(`Input '${input}' ${problem}`);
        this.name = 'InputError';
    }
}
/** The API answered with an error, or with something the action cannot use. */
class ApiError extends Error {
    status;
    errorCode;
    apiMessage;
    correlationId;
    request;
    /** From Retry-After, when the server gave one. */
    retryAfterMs;
    constructor(status, errorCode, apiMessage, correlationId, request) {
        super(`${request} failed: HTTP ${status}` +
            (errorCode ? ` ${errorCode}` : '') +
            (apiMessage ? `: ${apiMessage}` : '') +
            ` (correlation id ${correlationId})` +
            hintFor(status));
        this.status = status;
        this.errorCode = errorCode;
        this.apiMessage = apiMessage;
        this.correlationId = correlationId;
        this.request = request;
        this.name = 'ApiError';
    }
}
/** The request never got an HTTP answer (refused, reset, timed out). */
class TransportError extends Error {
    request;
    reason;
    phase;
    correlationId;
    constructor(request, reason, 
    /** 'unsent': surely not acted on; 'dropped': sent, answer lost; 'timeout': our own timeout. */
    phase, correlationId) {
        super(`${request} failed: ${reason} (correlation id ${correlationId})`);
        this.request = request;
        this.reason = reason;
        this.phase = phase;
        this.correlationId = correlationId;
        this.name = 'TransportError';
    }
}
/** The workflow was cancelled while the action was working. */
class CancelledError extends Error {
    constructor() {
        super('The run was cancelled');
        this.name = 'CancelledError';
    }
}
/** A domain rule stopped the operation (nothing to roll back to, unknown outcome, …). */
class OperationError extends Error {
    constructor(message) {
        super(message);
        this.name = 'OperationError';
    }
}
/** A failure the action expected and explains itself: no stack trace is printed for it. */
function isExpected(error) {
    return (error instanceof InputError ||
        error instanceof ApiError ||
        error instanceof TransportError ||
        error instanceof CancelledError ||
        error instanceof OperationError);
}
function hintFor(status) {
    if (status === 401)
        return '. Check that api-key is a valid workspace API key for this region.';
    if (status === 403)
        return '. The API key is not allowed to do this for this agent.';
    if (status === 404)
        return '. Check agent-id, deployment-id and region.';
    if (status >= 500)
        return '. The PolyAI API had a problem; try again later.';
    return '';
}

;// CONCATENATED MODULE: ./src/operations/context.ts
function newRecord(config) {
    return {
        operation: config.operation,
        agentId: config.agentId,
        environment: config.environment,
        testRunIds: [],
        reports: [],
        warnings: [],
        outputs: {}
    };
}

;// CONCATENATED MODULE: ./src/config.ts
/** The typed configuration that every module works from, and the domain's fixed words. */
const ENVIRONMENTS = ['sandbox', 'pre-release', 'live'];
const OPERATIONS = ['list', 'active', 'publish', 'promote', 'rollback', 'wait', 'release'];
const REGIONS = {
    us: 'https://api.us.poly.ai',
    uk: 'https://api.uk.poly.ai',
    eu: 'https://api.eu.poly.ai',
    studio: 'https://api.studio.poly.ai',
    dev: 'https://api.dev.poly.ai'
};
/** The environment one rung below, whose active deployment a promote takes by default. */
function rungBelow(environment) {
    const index = ENVIRONMENTS.indexOf(environment);
    return index > 0 ? ENVIRONMENTS[index - 1] : undefined;
}

;// CONCATENATED MODULE: ./src/api/shapes.ts


class ShapeError extends Error {
}
function object(value, where) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ShapeError(`${where} is not an object`);
    return value;
}
function string(value, key, where) {
    const field = value[key];
    if (typeof field !== 'string' || field === '')
        throw new ShapeError(`${where}.${key} is missing or not a string`);
    return field;
}
function optionalString(value, key) {
    return typeof value[key] === 'string' ? value[key] : undefined;
}
function count(value, key, where) {
    const field = value[key] ?? 0;
    if (typeof field !== 'number' || !Number.isInteger(field) || field < 0) {
        throw new ShapeError(`${where}.${key} is not a count`);
    }
    return field;
}
function array(value, where) {
    if (!Array.isArray(value))
        throw new ShapeError(`${where} is not a list`);
    return value;
}
function deploymentFrom(value, where) {
    const fields = object(value, where);
    const metadata = fields.metadata && typeof fields.metadata === 'object' ? fields.metadata : {};
    return {
        id: string(fields, 'id', where),
        agentId: optionalString(fields, 'agentId') ?? '',
        environment: string(fields, 'environment', where),
        artifactVersion: optionalString(fields, 'artifactVersion') ?? '',
        version: string(fields, 'version', where),
        createdBy: optionalString(fields, 'createdBy') ?? '',
        createdAt: optionalString(fields, 'createdAt') ?? '',
        message: optionalString(metadata, 'deployment_message')
    };
}
function deploymentListFrom(body) {
    return array(object(body, 'answer').deployments, 'answer.deployments').map((item, index) => deploymentFrom(item, `answer.deployments[${index}]`));
}
function activeFrom(body) {
    const active = object(object(body, 'answer').activeDeployments, 'answer.activeDeployments');
    const result = {};
    for (const environment of ENVIRONMENTS) {
        const entry = active[environment];
        result[environment] = entry == null ? null : deploymentFrom(entry, `answer.activeDeployments.${environment}`);
    }
    return result;
}
function mutationFrom(body) {
    const fields = object(body, 'answer');
    const ids = fields.testRunIds === undefined ? [] : array(fields.testRunIds, 'answer.testRunIds');
    return {
        deployment: deploymentFrom(fields.deployment, 'answer.deployment'),
        testRunIds: ids.map((id, index) => {
            if (typeof id !== 'string' || id === '')
                throw new ShapeError(`answer.testRunIds[${index}] is not an ID`);
            return id;
        })
    };
}
function testRunFrom(body) {
    const outer = object(body, 'answer');
    // Accept the run bare or wrapped as { testRun }, since the endpoint is not in the published contract.
    const fields = outer.testRun && typeof outer.testRun === 'object' ? object(outer.testRun, 'answer.testRun') : outer;
    const history = fields.testHistory === undefined || fields.testHistory === null ? [] : array(fields.testHistory, 'answer.testHistory');
    return {
        id: string(fields, 'id', 'answer'),
        status: string(fields, 'status', 'answer').toLowerCase(),
        passedCount: count(fields, 'passedCount', 'answer'),
        failedCount: count(fields, 'failedCount', 'answer'),
        errorCount: count(fields, 'errorCount', 'answer'),
        testCaseCount: count(fields, 'testCaseCount', 'answer'),
        startedAt: optionalString(fields, 'startedAt'),
        finishedAt: optionalString(fields, 'finishedAt'),
        deploymentId: optionalString(fields, 'deploymentId'),
        testHistory: history.map((item, index) => {
            const entry = object(item, `answer.testHistory[${index}]`);
            const conversation = entry.rawConversation && typeof entry.rawConversation === 'object' ? entry.rawConversation : {};
            return {
                testCaseId: string(entry, 'testCaseId', `answer.testHistory[${index}]`),
                status: string(entry, 'status', `answer.testHistory[${index}]`).toLowerCase(),
                conversationId: optionalString(conversation, 'id')
            };
        })
    };
}
function testRunListFrom(body) {
    return array(object(body, 'answer').testRuns, 'answer.testRuns').map((item) => testRunFrom(item));
}
/** Runs a shape check on an answer, turning a mismatch into an ApiError that names the request. */
function shaped(answer, label, check) {
    try {
        return check(answer.body);
    }
    catch (error) {
        if (!(error instanceof ShapeError))
            throw error;
        throw new ApiError(answer.status, 'INVALID_RESPONSE', `unexpected answer: ${error.message}`, answer.correlationId, label);
    }
}
/** A 200 that says "nothing to do": its shape is undocumented, so look for the code in any top-level field. */
function saysAlreadyPublished(body) {
    if (!body || typeof body !== 'object')
        return false;
    return Object.values(body).some((value) => value === 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED');
}

;// CONCATENATED MODULE: ./src/api/polyai.ts

/** One small function per endpoint of the PolyAI Agents API that the action uses. */
/** Each ID is one path segment: '/', '..', '%', '?' and '#' cannot change the path. */
function segment(id) {
    return encodeURIComponent(id).replace(/\./g, '%2E');
}
const agentPath = (agentId) => `/v1/agents/${segment(agentId)}`;
function listDeployments(client, agentId, environment, limit) {
    const path = `${agentPath(agentId)}/deployments`;
    return client
        .get(path, { query: { environment, limit } })
        .then((answer) => shaped(answer, `GET ${path}`, deploymentListFrom));
}
function activeDeployments(client, agentId) {
    const path = `${agentPath(agentId)}/deployments/active`;
    return client.get(path).then((answer) => shaped(answer, `GET ${path}`, activeFrom));
}
async function publishDraft(client, agentId, environment, message) {
    const path = `${agentPath(agentId)}/deployments/publish`;
    const answer = await client.post(path, { deploymentMessage: message, environment });
    return { already: false, mutation: shaped(answer, `POST ${path}`, mutationFrom) };
}
async function promoteDeployment(client, agentId, deploymentId, targetEnvironment, message) {
    const path = `${agentPath(agentId)}/deployments/${segment(deploymentId)}/promote`;
    const answer = await client.post(path, { deploymentMessage: message, targetEnvironment });
    if (saysAlreadyPublished(answer.body))
        return { already: true };
    return { already: false, mutation: shaped(answer, `POST ${path}`, mutationFrom) };
}
async function rollbackTo(client, agentId, deploymentId, message) {
    const path = `${agentPath(agentId)}/deployments/${segment(deploymentId)}/rollback`;
    const answer = await client.post(path, { deploymentMessage: message });
    return { already: false, mutation: shaped(answer, `POST ${path}`, mutationFrom) };
}
function listTestRuns(client, agentId, limit) {
    const path = `${agentPath(agentId)}/testing/test-runs`;
    return client.get(path, { query: { limit, offset: 0 } }).then((answer) => shaped(answer, `GET ${path}`, testRunListFrom));
}
function getTestRun(client, agentId, testRunId, call) {
    const path = `${agentPath(agentId)}/testing/test-runs/${segment(testRunId)}`;
    return client.get(path, call).then((answer) => shaped(answer, `GET ${path}`, testRunFrom));
}

;// CONCATENATED MODULE: ./src/sleep.ts

/** Waits ms, or rejects with CancelledError as soon as the signal aborts. */
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted)
            return reject(new CancelledError());
        const onAbort = () => {
            clearTimeout(timer);
            reject(new CancelledError());
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
        }, Math.max(0, ms));
        signal.addEventListener('abort', onAbort, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/clock.ts

const systemClock = {
    now: () => Date.now(),
    sleep: sleep,
    timeout: (ms) => AbortSignal.timeout(ms)
};

;// CONCATENATED MODULE: ./src/turns.ts
/**
 * At most `size` holders at a time; the others wait in order. A waiter costs one small promise, which
 * matters when hundreds of test runs are due at once.
 */
class Turns {
    size;
    free;
    waiting = [];
    constructor(size) {
        this.size = size;
        this.free = size;
    }
    take() {
        if (this.free > 0) {
            this.free--;
            return Promise.resolve();
        }
        return new Promise((resolve) => this.waiting.push(resolve));
    }
    give() {
        const next = this.waiting.shift();
        if (next)
            next();
        else
            this.free++;
    }
}

;// CONCATENATED MODULE: ./src/gate/schedule.ts
/**
 * When to poll a run next. Runs report cases as they finish; from that progress the end is
 * predicted, so polls are rare while a run is far from done and close together near its end.
 * Where nothing can be predicted, or the prediction has failed, the wait between polls grows with
 * the time the run has taken, so the verdict comes within a tenth of that time.
 */
/** The interval near a predicted end: short enough that a verdict follows the last case within ~2 s. */
function closeIntervalMs(pollIntervalMs) {
    return Math.min(pollIntervalMs, 1500);
}
/** The shortest wait where nothing predicts the end: no denser than a fixed 2 s poller. */
function blindIntervalMs(pollIntervalMs) {
    return Math.min(pollIntervalMs, 2000);
}
/** The first poll: a run is rarely done sooner, and one poll saved is half a short run's polls. */
function firstPollDelay(limits) {
    return closeIntervalMs(limits.pollIntervalMs);
}
// Waits as a share of the time the run has taken so far: the verdict is then at most this share late.
const BLIND_SHARE = 0.1;
/** …a prediction not yet borne out by a later count allows a little more… */
const UNTRUSTED_SHARE = 0.25;
/** …and once the pace has held for a few polls in a row, longer waits, still bounded. */
const TRUSTED_SHARE = 0.7;
const TRUST_AFTER = 1;
/** The share of the predicted remaining time to sleep before looking again. */
const APPROACH_SHARE = 0.6;
/** Overdue: after this floor, polls never come more often than a fixed 5 s poller's. */
const OVERDUE_FLOOR_MS = 5000;
/** When the run is predicted to end, with how many ms either side, from the pace of its recent cases. */
function predictEnd(progress) {
    const { done, total, seen, startedAt } = progress;
    const latest = seen[seen.length - 1];
    if (done === 0 || total <= 1 || !latest || done >= total)
        return undefined;
    // At the poll that first saw a count the next case had not finished yet: at an even pace, the
    // counted case then finished less than one case's time before it, however long the wait before.
    const roughPerCase = (latest.by - startedAt) / done;
    const point = (at) => {
        if (!at)
            return { done: 0, at: startedAt, halfWidth: 0 };
        const after = Math.min(at.by, Math.max(startedAt, at.after, at.by - roughPerCase));
        return { done: at.done, at: (after + at.by) / 2, halfWidth: (at.by - after) / 2 };
    };
    const last = point(latest);
    // The pace over the latest half of the finished cases, so a run that changes pace is followed; it
    // is read between the moments cases finished, never between two polls, so cases that one poll saw
    // finish together count as the time they took together.
    let from = point(undefined);
    for (const each of seen) {
        if (each.done > done / 2)
            break;
        from = point(each);
    }
    const start = point(undefined);
    const step = point(seen[seen.length - 2]);
    const fromPoint = (base) => {
        const perCase = Math.max(1, (last.at - base.at) / (done - base.done));
        const ahead = (total - done) / (done - base.done);
        return { at: last.at + perCase * (total - done), errorMs: last.halfWidth + (last.halfWidth + base.halfWidth) * ahead };
    };
    const overall = fromPoint(start);
    const recent = fromPoint(from);
    // A speed-up over at least three cases since the step before counts at once: a run that ends in a
    // rush must not be slept through.
    if (done - step.done >= 3 && step.done > from.done) {
        const rush = fromPoint(step);
        if (rush.at + rush.errorMs < recent.at - recent.errorMs)
            return rush;
    }
    // The whole run's pace is the surer one, as long as the recent pace does not tell it wrong.
    return Math.abs(recent.at - overall.at) <= recent.errorMs + overall.errorMs ? overall : recent;
}
function nextPollDelay(progress, limits) {
    const close = closeIntervalMs(limits.pollIntervalMs);
    const blind = blindIntervalMs(limits.pollIntervalMs);
    const elapsed = Math.max(0, progress.now - progress.startedAt);
    const clamp = (ms, floor) => Math.round(Math.min(limits.maxDelayMs, Math.max(floor, ms)));
    const end = predictEnd(progress);
    if (!end) {
        // Nothing to learn from yet. With several cases none done, an even pace would end the run past
        // `total` times the time taken so far: grow faster, up to doubling, but never past the blind share
        // for a single case, which can end at any moment.
        const share = progress.total > 1 && progress.done === 0 ? Math.min(1, 0.5 * (progress.total - 1) * BLIND_SHARE) : BLIND_SHARE;
        return clamp(share * elapsed, blind);
    }
    const remaining = end.at - progress.now;
    if (remaining <= -end.errorMs) {
        // Overdue past the prediction's own error (a slow last case, a stall): its end can no longer be
        // foreseen. Poll less and less often, by a tenth of the overrun, and no denser than every 5 s
        // once the run has taken long enough for that to stay within a tenth of its length.
        const overrun = -remaining;
        return clamp(0.1 * overrun, Math.min(OVERDUE_FLOOR_MS, Math.max(blind, BLIND_SHARE * elapsed)));
    }
    const share = progress.agreeing >= TRUST_AFTER ? TRUSTED_SHARE : UNTRUSTED_SHARE;
    const cap = Math.max(blind, share * elapsed);
    const earliest = remaining - end.errorMs;
    // Look again before the earliest end the prediction allows, and no later than the cap.
    if (earliest > close)
        return clamp(Math.min(cap, APPROACH_SHARE * earliest), close);
    // The end may come at any moment: closely where the prediction is sure, else a few times across
    // its error, and within the blind share.
    return clamp(Math.min(cap, BLIND_SHARE * elapsed, end.errorMs / 4), close);
}
/** The progress after one more poll of a still-running run. */
function progressAfter(previous, seen, now, firstPollAt) {
    // Server and runner clocks differ: never let the server's start lie in our future.
    const startedAt = seen.startedAt !== undefined && Number.isFinite(seen.startedAt) ? Math.min(seen.startedAt, firstPollAt) : firstPollAt;
    const total = Math.max(seen.total, seen.done);
    const previousDone = previous?.done ?? 0;
    const done = Math.max(seen.done, previousDone);
    const history = previous?.seen ?? [];
    const next = { now, startedAt, done, total, seen: history, agreeing: previous?.agreeing ?? 0 };
    if (done > previousDone)
        next.seen = [...history, { done, after: previous?.now ?? startedAt, by: now }];
    // Did the count land where the last prediction, give or take its error, said it would? Then its
    // pace may be trusted with longer waits.
    const before = previous?.predictedEnd;
    if (previous && before && before.at - before.errorMs > previous.now) {
        const countAt = (endAt) => previous.done + (total - previous.done) * Math.min(1, (now - previous.now) / Math.max(1, endAt - previous.now));
        const agrees = done >= countAt(before.at + before.errorMs) - 1 && done <= countAt(before.at - before.errorMs) + 1;
        next.agreeing = agrees ? next.agreeing + 1 : 0;
    }
    else
        next.agreeing = 0;
    next.predictedEnd = predictEnd(next);
    return next;
}

;// CONCATENATED MODULE: ./src/gate/verdict.ts
/** Pure rules: what a run's status means, and what all the runs together say. */
const STILL_GOING = new Set(['pending', 'queued', 'running', 'in_progress']);
const FINISHED = new Set(['completed', 'passed', 'failed', 'error', 'errored', 'timed_out', 'cancelled']);
/** A finished run passes only as completed/passed with no failed and no errored case. */
function stateOf(run) {
    if (STILL_GOING.has(run.status))
        return 'running';
    // An unknown status is treated as still going: the timeout bounds it, and it never passes.
    if (!FINISHED.has(run.status))
        return 'running';
    const clean = run.failedCount === 0 && run.errorCount === 0;
    return (run.status === 'completed' || run.status === 'passed') && clean ? 'passed' : 'failed';
}
function isKnownStatus(status) {
    return STILL_GOING.has(status) || FINISHED.has(status);
}
function reportFrom(run, state, polls) {
    const started = run.startedAt ? Date.parse(run.startedAt) : NaN;
    const finished = run.finishedAt ? Date.parse(run.finishedAt) : NaN;
    return {
        id: run.id,
        state,
        status: run.status,
        passed: run.passedCount,
        failed: run.failedCount,
        errored: run.errorCount,
        total: run.testCaseCount,
        failedCases: run.testHistory.filter((entry) => entry.status !== 'passed' && entry.status !== 'completed'),
        durationMs: Number.isFinite(started) && Number.isFinite(finished) ? finished - started : undefined,
        polls
    };
}
/** The gate passes only when every run passed; a failure outweighs a cancellation, which outweighs a time-out. */
function verdictOf(reports) {
    const sum = (pick) => reports.reduce((total, report) => total + pick(report), 0);
    const counts = {
        passed: sum((report) => report.passed),
        failed: sum((report) => report.failed),
        errored: sum((report) => report.errored),
        total: sum((report) => report.total)
    };
    if (reports.length === 0)
        return { result: 'none', ...counts };
    const states = new Set(reports.map((report) => report.state));
    if (states.has('failed') || states.has('unreadable'))
        return { result: 'failed', ...counts };
    if (states.has('cancelled'))
        return { result: 'cancelled', ...counts };
    if (states.has('timed-out') || states.has('running'))
        return { result: 'timed-out', ...counts };
    return { result: 'passed', ...counts };
}

;// CONCATENATED MODULE: ./src/gate/poller.ts






function waitForTestRuns(testRunIds, options) {
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    // Many runs start together: spread their first polls so they do not arrive as one burst.
    const spreadMs = Math.min(options.pollIntervalMs, 10 * testRunIds.length);
    const firstMs = firstPollDelay(limitsFor(options));
    // The deadline also bounds a request in flight; one signal serves every run (one per poll would pile up listeners).
    const withinDeadline = AbortSignal.any([options.signal, clock.timeout(Math.max(1, options.deadline - clock.now()))]);
    // Runs that fall due together wait here, as one small promise each, rather than deep in the client
    // as a chain of calls each: hundreds of those outlive young-generation collections and make V8 grow
    // its young generation by tens of MB.
    const turns = new Turns(options.client.turns.size);
    const shared = { withinDeadline, turns, clock };
    return Promise.all(testRunIds.map((id) => waitForOneRun(id, options, shared, Math.min(firstMs + random() * spreadMs, options.deadline - clock.now()))));
}
function limitsFor(options) {
    return { pollIntervalMs: options.pollIntervalMs, maxDelayMs: Math.max(options.pollIntervalMs, 60_000) };
}
async function waitForOneRun(id, options, shared, firstDelayMs) {
    const unreadableAfterMs = options.unreadableAfterMs ?? 60_000;
    const unreadableAfterPolls = options.unreadableAfterPolls ?? 5;
    let polls = 0;
    let last;
    let failingSince;
    let failedPolls = 0;
    let lastError = '';
    const { clock } = shared;
    const firstPollAt = clock.now();
    let progress;
    let warnedStatus = false;
    const endWith = (state, note) => {
        const report = last
            ? { ...last, state, polls }
            : { id, state, status: '', passed: 0, failed: 0, errored: 0, total: 0, failedCases: [], polls };
        if (note)
            report.note = note;
        return report;
    };
    try {
        await clock.sleep(firstDelayMs, options.signal);
    }
    catch {
        return endWith('cancelled', 'still going when the run was cancelled');
    }
    for (;;) {
        const now = clock.now();
        if (options.signal.aborted)
            return endWith('cancelled', 'still going when the run was cancelled');
        if (now >= options.deadline)
            return endWith('timed-out', 'still going when timeout was reached');
        let delay;
        try {
            await shared.turns.take();
            let seen;
            try {
                // The turn may come after the wait was cancelled or ran out of time.
                if (shared.withinDeadline.aborted)
                    throw new CancelledError();
                polls++;
                seen = await readOnce(id, polls, options, shared.withinDeadline);
            }
            finally {
                shared.turns.give();
            }
            last = seen.report;
            failingSince = undefined;
            failedPolls = 0;
            if (!isKnownStatus(last.status) && !warnedStatus) {
                warnedStatus = true;
                options.warn?.(`Test run ${id} reports an unknown status '${last.status}'; waiting for a known one`);
            }
            if (last.state !== 'running') {
                options.onRunFinished?.(last);
                return last;
            }
            progress = progressAfter(progress, seen.progress, clock.now(), firstPollAt);
            delay = nextPollDelay(progress, limitsFor(options));
            options.onSchedule?.(id, { delayMs: delay, predictedEndAt: predictEnd(progress)?.at });
        }
        catch (error) {
            if (options.signal.aborted || error instanceof CancelledError) {
                if (options.signal.aborted)
                    return endWith('cancelled', 'still going when the run was cancelled');
                return endWith('timed-out', 'still going when timeout was reached');
            }
            if (isFinal(error)) {
                const report = endWith('unreadable', `could not be read: ${error.message}`);
                options.onRunFinished?.(report);
                return report;
            }
            // The run goes on server-side: tolerate failed polls for a while (500s, resets, an early 404).
            failedPolls++;
            failingSince ??= clock.now();
            lastError = error.message;
            if (failedPolls >= unreadableAfterPolls && clock.now() - failingSince >= unreadableAfterMs) {
                const seconds = Math.round((clock.now() - failingSince) / 1000);
                const report = endWith('unreadable', `could not be read for ${seconds}s (${failedPolls} failed polls in a row); last error: ${lastError}`);
                options.onRunFinished?.(report);
                return report;
            }
            delay = Math.min(options.pollIntervalMs, 2000 * failedPolls);
        }
        try {
            await clock.sleep(Math.min(delay, options.deadline - clock.now()), options.signal);
        }
        catch {
            return endWith('cancelled', 'still going when the run was cancelled');
        }
    }
}
/** One poll, boiled down to what the wait needs: the whole run is not kept while the loop sleeps. */
async function readOnce(id, polls, options, signal) {
    const run = await getTestRun(options.client, options.agentId, id, { tries: 1, signal });
    options.onPoll?.(run);
    const done = Math.max(run.testHistory.length, run.passedCount + run.failedCount + run.errorCount);
    return {
        report: reportFrom(run, stateOf(run), polls),
        progress: { startedAt: run.startedAt ? Date.parse(run.startedAt) : undefined, done, total: run.testCaseCount }
    };
}
/** A 4xx other than 404 and 429 will not change by asking again. */
function isFinal(error) {
    if (error instanceof ApiError) {
        if (error.errorCode === 'INVALID_RESPONSE')
            return false;
        return error.status >= 400 && error.status < 500 && error.status !== 404 && error.status !== 429;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/gate/progress.ts
/**
 * The wait's progress in the log at a steady pace, whatever the number of runs or polls:
 * a line every `everyMs`, a line at once for a run that failed, and a last line at the end.
 */
class ProgressLog {
    runs;
    info;
    latest = new Map();
    finished = 0;
    failedRuns = 0;
    timer;
    constructor(runs, info, everyMs = 20_000) {
        this.runs = runs;
        this.info = info;
        this.timer = setInterval(() => this.info(this.line()), everyMs);
        this.timer.unref();
    }
    polled(run) {
        this.latest.set(run.id, { passed: run.passedCount, failed: run.failedCount + run.errorCount, total: run.testCaseCount });
    }
    finishedRun(report) {
        this.finished++;
        this.latest.set(report.id, { passed: report.passed, failed: report.failed + report.errored, total: report.total });
        if (report.state !== 'passed') {
            this.failedRuns++;
            this.info(`Test run ${report.id} ${report.state}${report.note ? ` (${report.note})` : ''}: ${report.passed}/${report.total} cases passed`);
        }
    }
    stop() {
        clearInterval(this.timer);
    }
    line() {
        let passed = 0;
        let failed = 0;
        let total = 0;
        for (const counts of this.latest.values()) {
            passed += counts.passed;
            failed += counts.failed;
            total += counts.total;
        }
        const runs = `${this.finished}/${this.runs} test runs finished${this.failedRuns > 0 ? ` (${this.failedRuns} did not pass)` : ''}`;
        return `${runs}; cases so far: ${passed} passed, ${failed} failed or errored${total > 0 ? ` of ${total}` : ''}`;
    }
}

;// CONCATENATED MODULE: ./src/report/outputs.ts
/** Step outputs, set as soon as each is known. */
function setDeploymentOutputs(ctx, deployment, changed) {
    ctx.output('deployment-id', deployment?.id ?? '');
    ctx.output('version', deployment?.version ?? '');
    if (deployment)
        ctx.output('environment', deployment.environment);
    ctx.output('changed', String(changed));
}
function setVerdictOutputs(ctx, verdict) {
    ctx.output('tests-result', verdict.result);
    ctx.output('tests-passed', String(verdict.passed));
    ctx.output('tests-failed', String(verdict.failed));
    ctx.output('tests-errored', String(verdict.errored));
    ctx.output('tests-total', String(verdict.total));
}
/** The shape of a deployment in the JSON outputs: the API's names, nothing internal. */
function deploymentJson(deployment) {
    const json = {
        id: deployment.id,
        environment: deployment.environment,
        version: deployment.version,
        artifactVersion: deployment.artifactVersion,
        createdBy: deployment.createdBy,
        createdAt: deployment.createdAt
    };
    if (deployment.message !== undefined)
        json.message = deployment.message;
    return json;
}

;// CONCATENATED MODULE: ./src/api/retry.ts
/** Pure timing rules for retries. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Seconds or an HTTP date, to milliseconds from now; undefined when absent or unreadable. */
function retryAfterMs(header, now) {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed))
        return Math.round(Number(trimmed) * 1000);
    // Date.parse reads nearly anything: take only an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") or ISO 8601.
    if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? |^\d{4}-\d{2}-\d{2}T/.test(trimmed))
        return undefined;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)]. */
function backoffMs(attempt, baseMs, capMs, random = Math.random) {
    const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
    // A floor of a quarter keeps retries from hammering at once while still spreading them out.
    return Math.round(ceiling / 4 + random() * (ceiling * 3) / 4);
}

;// CONCATENATED MODULE: ./src/operations/write.ts





const MAX_SENDS = 3;
async function writeOnce(ctx, before, expected, send) {
    for (let sends = 1;; sends++) {
        try {
            return await send();
        }
        catch (error) {
            if (!isAmbiguous(error))
                throw error;
            ctx.log.warning(`${error.message}. Reading the state to learn whether the server acted.`);
            const created = findCreated(before, await activeDeployments(ctx.client, ctx.config.agentId), expected);
            if (created) {
                ctx.log.warning(`The server did act: deployment ${created.id} (version ${created.version}) was created; carrying on with it.`);
                return { already: false, mutation: { deployment: created, testRunIds: [] }, adopted: true };
            }
            if (error instanceof TransportError && error.phase === 'timeout') {
                throw new OperationError(`${error.message}. The server may still be acting on it, so it is not sent again: the outcome is unknown. ` +
                    `Check the agent's deployments before running this step again.`);
            }
            if (sends >= MAX_SENDS)
                throw error;
            ctx.log.info('Nothing was created; sending the request again.');
            await sleep(backoffMs(sends - 1, 500, 5000), ctx.signal);
        }
    }
}
function isAmbiguous(error) {
    // An unsent request was already retried by the client; the server never saw it.
    if (error instanceof TransportError)
        return error.phase !== 'unsent';
    return error instanceof ApiError && error.status >= 500 && error.status <= 504;
}
/** A deployment that is active now, was not before, and matches what the request asked for. */
function findCreated(before, now, expected) {
    const environments = expected.environment ? [expected.environment] : ENVIRONMENTS;
    for (const environment of environments) {
        const candidate = now[environment];
        if (!candidate || candidate.id === before[environment]?.id)
            continue;
        if (expected.version && candidate.version !== expected.version)
            continue;
        if (expected.message && candidate.message !== undefined && candidate.message !== expected.message)
            continue;
        return candidate;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/operations/deploy.ts







/** What publish, promote and rollback share once the write is answered: outputs, the gate, the rollback. */
function recordPrevious(ctx, before, previous) {
    ctx.record.activeBefore = before;
    ctx.record.previous = previous;
    ctx.output('previous-deployment-id', previous?.id ?? '');
}
/** Nothing to do: the environment runs that version already. The verdict follows if-unchanged. */
function finishUnchanged(ctx, current, reason) {
    const { record, config } = ctx;
    if (config.dryRun) {
        // A plan reports the no-op; whether it would fail the step is for the real run.
        return finishPlanned(ctx, { action: `Would do nothing: ${reason}`, environment: record.environment, deployment: current ?? undefined });
    }
    record.action = reason;
    record.changed = false;
    record.deployment = current ?? undefined;
    setDeploymentOutputs(ctx, current, false);
    ctx.output('test-run-ids', '[]');
    skipTests(ctx);
    ctx.output('rolled-back', 'false');
    if (config.ifUnchanged === 'fail') {
        record.failure = `${reason}; no tests ran, and if-unchanged is fail`;
    }
    else {
        const warning = `${reason}; no tests ran (set if-unchanged: fail to fail the step instead)`;
        record.warnings.push(warning);
        ctx.log.warning(warning);
    }
}
/** No tests are waited on: the verdict is `skipped`. */
function skipTests(ctx) {
    ctx.record.testsSkipped = true;
    ctx.record.verdict = { result: 'skipped', passed: 0, failed: 0, errored: 0, total: 0 };
    setVerdictOutputs(ctx, ctx.record.verdict);
}
/** A dry run stops here: report what would be done, write nothing. */
function finishPlanned(ctx, plan) {
    const { record } = ctx;
    record.planned = true;
    record.action = plan.action;
    record.changed = false;
    record.environment = plan.environment ?? record.environment;
    if (plan.environment)
        ctx.output('environment', plan.environment);
    ctx.output('deployment-id', plan.deployment?.id ?? '');
    ctx.output('version', plan.deployment?.version ?? '');
    ctx.output('changed', 'false');
    ctx.output('test-run-ids', '[]');
    skipTests(ctx);
    ctx.output('rolled-back', 'false');
    ctx.log.info(`Dry run: ${plan.action}; nothing was written`);
}
/** A deployment was created: report it, wait for its tests, and roll back when asked and they fail. */
async function gateChange(ctx, outcome) {
    const { record, config, log } = ctx;
    const { deployment, testRunIds } = outcome.mutation;
    record.changed = true;
    record.deployment = deployment;
    record.environment = deployment.environment;
    record.testRunIds = testRunIds;
    setDeploymentOutputs(ctx, deployment, true);
    ctx.output('test-run-ids', JSON.stringify(testRunIds));
    ctx.output('rolled-back', 'false');
    log.info(`${record.action}: deployment ${deployment.id}, version ${deployment.version}`);
    const mirrored = await ctx.github?.started(config.agentId, deployment, record.action ?? '');
    let settled = false;
    try {
        await gateOn(ctx, outcome);
        const result = record.verdict?.result;
        // A cancelled wait decided nothing: the mirror says so in `finally`.
        if (result === 'cancelled')
            return;
        const passed = !record.failure && (result === 'passed' || result === 'none' || result === 'skipped');
        await ctx.github?.finished(mirrored, deployment.environment, passed ? 'success' : 'failure', verdictLine(ctx));
        settled = true;
        if (config.rollbackOnFailure && (result === 'failed' || result === 'timed-out'))
            await rollBackAfterFailure(ctx);
    }
    finally {
        if (!settled)
            await ctx.github?.finished(mirrored, deployment.environment, 'error', 'The step ended before the gate decided');
    }
}
/** The gate itself: the triggered runs, found again where the answer naming them was lost. */
async function gateOn(ctx, outcome) {
    const { record, config, log } = ctx;
    const { deployment, testRunIds } = outcome.mutation;
    if (outcome.adopted) {
        const found = await testRunsOf(ctx, deployment.id);
        if (found.length === 0) {
            skipTests(ctx);
            record.failure = `Deployment ${deployment.id} was created, but the answer naming its test runs was lost and they could not be found, so the gate cannot tell whether they pass. Check the test runs in PolyAI before going on.`;
            return;
        }
        record.testRunIds = found;
        ctx.output('test-run-ids', JSON.stringify(found));
        log.info(`Found the ${found.length} test run(s) of deployment ${deployment.id} in the agent's recent runs`);
    }
    if (!config.waitForTests) {
        skipTests(ctx);
        log.info(`Not waiting for ${testRunIds.length} test run(s) (wait-for-tests: false)`);
        return;
    }
    await gateTestRuns(ctx, record.testRunIds);
}
function verdictLine(ctx) {
    const verdict = ctx.record.verdict;
    if (!verdict)
        return ctx.record.failure ?? 'No verdict';
    if (verdict.total === 0)
        return `Tests ${verdict.result}`;
    return `Tests ${verdict.result}: ${verdict.passed}/${verdict.total} cases passed`;
}
/** The runs a deployment triggered, from the agent's recent runs, where the API names their deployment. */
async function testRunsOf(ctx, deploymentId) {
    try {
        const recent = await listTestRuns(ctx.client, ctx.config.agentId, 100);
        return recent.filter((run) => run.deploymentId === deploymentId).map((run) => run.id);
    }
    catch (error) {
        ctx.log.warning(`Could not list the agent's test runs: ${error.message}`);
        return [];
    }
}
/** Waits on the runs and records the verdict; the step's failure is decided by the caller's rules. */
async function gateTestRuns(ctx, testRunIds) {
    const { record, config, log } = ctx;
    if (testRunIds.length === 0) {
        record.verdict = verdictOf([]);
        setVerdictOutputs(ctx, record.verdict);
        const warning = 'The call triggered no test runs: nothing gated this deployment';
        record.warnings.push(warning);
        log.warning(warning);
        return;
    }
    log.info(`Waiting for ${testRunIds.length} test run(s), at most ${Math.round(config.timeoutMs / 1000)}s`);
    const progress = new ProgressLog(testRunIds.length, log.info);
    try {
        record.reports = await waitForTestRuns(testRunIds, {
            client: ctx.client,
            agentId: config.agentId,
            pollIntervalMs: config.pollIntervalMs,
            deadline: Date.now() + config.timeoutMs,
            signal: ctx.signal,
            warn: (message) => log.warning(message),
            onPoll: (run) => progress.polled(run),
            onRunFinished: (report) => progress.finishedRun(report)
        });
    }
    finally {
        progress.stop();
    }
    log.info(progress.line());
    record.verdict = verdictOf(record.reports);
    setVerdictOutputs(ctx, record.verdict);
    if (ctx.signal.aborted)
        return;
    const { result } = record.verdict;
    if (result === 'failed' || result === 'timed-out') {
        if (config.failOnTestFailure)
            record.failure = failureLine(ctx);
        else
            log.warning(`${failureLine(ctx)} (fail-on-test-failure is false, so the step passes)`);
    }
    else {
        log.info(`All ${testRunIds.length} test run(s) passed: ${record.verdict.passed}/${record.verdict.total} cases`);
    }
}
function failureLine(ctx) {
    const { reports, verdict } = ctx.record;
    const bad = reports.filter((report) => report.state !== 'passed');
    const named = bad.map((report) => `${report.id} (${report.state}${report.note ? `: ${report.note}` : ''})`).join(', ');
    const what = verdict?.result === 'timed-out' ? 'did not finish in time' : 'failed';
    return `The gate failed: ${bad.length} of ${reports.length} test run(s) ${what}: ${named}`;
}
/** Returns the environment to what it ran before this step. */
async function rollBackAfterFailure(ctx) {
    const { record, config, log } = ctx;
    const previous = record.previous;
    if (!previous) {
        const warning = `rollback-on-failure: nothing was active in ${record.environment} before, so there is nothing to roll back to`;
        record.warnings.push(warning);
        log.warning(warning);
        return;
    }
    log.info(`rollback-on-failure: returning ${record.environment} to deployment ${previous.id} (version ${previous.version})`);
    const before = { ...record.activeBefore, [previous.environment]: record.deployment ?? null };
    const outcome = await writeOnce(ctx, before, { environment: record.environment, version: previous.version }, () => rollbackTo(ctx.client, config.agentId, previous.id, `Automatic rollback: the gate failed for ${record.deployment?.id}. ${config.message}`));
    if (outcome.already)
        throw new OperationError('The rollback answered that nothing changed');
    record.rolledBackTo = outcome.mutation.deployment;
    ctx.output('rolled-back', 'true');
    const mirrored = await ctx.github?.started(config.agentId, outcome.mutation.deployment, `Rolled back after the gate failed for ${record.deployment?.id}`);
    await ctx.github?.finished(mirrored, outcome.mutation.deployment.environment, 'success', 'Rolled back after a failed gate');
    log.warning(`Rolled ${record.environment} back to version ${previous.version} (new deployment ${outcome.mutation.deployment.id})`);
}

;// CONCATENATED MODULE: ./src/operations/lookup.ts


/** How far back a named deployment is looked for in each environment's history. */
const HISTORY_LIMIT = 100;
/**
 * Finds a deployment by ID: among the active ones first, then in the recent history of the
 * environments given. Undefined when it is in none of them.
 */
async function findDeployment(ctx, before, deploymentId, environments = ENVIRONMENTS) {
    const active = ENVIRONMENTS.map((environment) => before[environment]).find((deployment) => deployment?.id === deploymentId);
    if (active && environments.includes(active.environment))
        return active;
    for (const environment of environments) {
        // An environment with nothing active has no history either.
        if (!before[environment])
            continue;
        const listed = await listDeployments(ctx.client, ctx.config.agentId, environment, HISTORY_LIMIT);
        const found = listed.find((deployment) => deployment.id === deploymentId);
        if (found)
            return found;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/operations/promote.ts






/** Promotes a deployment into the target environment: what was tested below is what arrives above. */
async function promote(ctx) {
    const { config, client } = ctx;
    const target = config.environment;
    const before = await activeDeployments(client, config.agentId);
    const previous = before[target];
    recordPrevious(ctx, before, previous);
    const source = await sourceFor(ctx, before);
    ctx.record.action = `Promoted ${source.id} to ${target}`;
    if (previous && source.version && previous.version === source.version) {
        return finishUnchanged(ctx, previous, `${target} already runs version ${source.version}`);
    }
    if (config.dryRun) {
        const version = source.version ? ` (version ${source.version})` : '';
        return finishPlanned(ctx, { action: `Would promote ${source.id}${version} to ${target}`, environment: target, deployment: source });
    }
    const outcome = await writeOnce(ctx, before, { environment: target, version: source.version || undefined }, () => promoteDeployment(client, config.agentId, source.id, target, config.message));
    if (outcome.already) {
        const now = await activeDeployments(client, config.agentId);
        return finishUnchanged(ctx, now[target], `${target} already runs this version`);
    }
    await gateChange(ctx, outcome);
}
/** The deployment to promote: the one named, else what is active one rung below the target. */
async function sourceFor(ctx, before) {
    const { config } = ctx;
    const target = config.environment;
    const below = rungBelow(target);
    if (!config.deploymentId) {
        const active = before[below];
        if (!active)
            throw new OperationError(`Nothing is active in ${below}, so there is nothing to promote to ${target}`);
        return active;
    }
    // Its version tells whether the target runs it already.
    return (await findDeployment(ctx, before, config.deploymentId)) ?? { id: config.deploymentId, version: '' };
}

;// CONCATENATED MODULE: ./src/operations/publish.ts




/** Publishes the draft to the environment (sandbox by default) and gates on the tests it triggers. */
async function publish(ctx) {
    const { config, client } = ctx;
    const environment = config.environment ?? 'sandbox';
    const before = await activeDeployments(client, config.agentId);
    recordPrevious(ctx, before, before[environment]);
    ctx.record.action = `Published the draft to ${environment}`;
    if (config.dryRun) {
        // Whether the draft differs from what runs there, only the server knows.
        return finishPlanned(ctx, { action: `Would publish the draft to ${environment}, unless it already runs there`, environment });
    }
    try {
        const outcome = await writeOnce(ctx, before, { environment, message: config.message }, () => publishDraft(client, config.agentId, environment, config.message));
        if (outcome.already)
            return finishUnchanged(ctx, before[environment], `The draft is already published to ${environment}`);
        await gateChange(ctx, outcome);
    }
    catch (error) {
        if (error instanceof ApiError && error.errorCode === 'DEPLOYMENTS_ALREADY_PUBLISHED') {
            return finishUnchanged(ctx, before[environment], `The draft is already published to ${environment}`);
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/operations/read.ts



/** The two read-only operations: they change nothing and gate nothing. */
async function list(ctx) {
    const { config, record } = ctx;
    const environment = config.environment;
    record.deployments = await listDeployments(ctx.client, config.agentId, environment, config.limit);
    record.action = `Listed ${record.deployments.length} deployment(s) of ${environment}`;
    record.changed = false;
    ctx.output('deployments', JSON.stringify(record.deployments.map(deploymentJson)));
    ctx.output('environment', environment);
    ctx.output('changed', 'false');
    const newest = record.deployments[0];
    if (newest) {
        ctx.output('deployment-id', newest.id);
        ctx.output('version', newest.version);
    }
    ctx.log.info(record.action);
}
async function active(ctx) {
    const { config, record } = ctx;
    const activeByEnvironment = await activeDeployments(ctx.client, config.agentId);
    record.activeBefore = activeByEnvironment;
    record.action = 'Read the active deployment of every environment';
    record.changed = false;
    const json = Object.fromEntries(ENVIRONMENTS.map((environment) => {
        const deployment = activeByEnvironment[environment];
        return [environment, deployment ? deploymentJson(deployment) : null];
    }));
    ctx.output('active-deployments', JSON.stringify(json));
    ctx.output('changed', 'false');
    for (const environment of ENVIRONMENTS) {
        const deployment = activeByEnvironment[environment];
        ctx.log.info(`${environment}: ${deployment ? `${deployment.version} (deployment ${deployment.id})` : 'nothing active'}`);
    }
    // With an environment named, the usual outputs describe what it runs.
    if (config.environment) {
        const deployment = activeByEnvironment[config.environment];
        ctx.output('environment', config.environment);
        ctx.output('deployment-id', deployment?.id ?? '');
        ctx.output('version', deployment?.version ?? '');
    }
}

;// CONCATENATED MODULE: ./src/operations/release.ts








/**
 * Walks the ladder with a gate at every rung: publish the draft to sandbox (or start from a named
 * deployment), then promote rung by rung up to `environment`. A failed rung stops the walk, so
 * nothing above it changes.
 */
async function release(ctx) {
    const { config, record } = ctx;
    const top = config.environment;
    const rungs = (record.rungs = []);
    let source;
    let from;
    if (config.deploymentId) {
        const before = await activeDeployments(ctx.client, config.agentId);
        const start = await findDeployment(ctx, before, config.deploymentId);
        if (!start)
            throw new OperationError(`Deployment ${config.deploymentId} was not found among the agent's deployments`);
        from = start.environment;
        source = start;
        const startRung = newRecord({ ...config, operation: 'release', environment: from });
        Object.assign(startRung, { action: `Started from ${start.id} in ${from}`, deployment: start, changed: false, testsSkipped: true });
        rungs.push(startRung);
    }
    else {
        from = 'sandbox';
        const rung = await walkRung(ctx, 'publish', 'sandbox', undefined);
        rungs.push(rung);
        source = rung.deployment;
    }
    const ladder = ENVIRONMENTS.slice(ENVIRONMENTS.indexOf(from) + 1, ENVIRONMENTS.indexOf(top) + 1);
    if (ENVIRONMENTS.indexOf(from) >= ENVIRONMENTS.indexOf(top) && config.deploymentId) {
        record.warnings.push(`${config.deploymentId} is in ${from}, at or above ${top}: there is nothing to promote`);
    }
    for (const environment of ladder) {
        // A failed gate stops the walk even where fail-on-test-failure lets the step pass.
        if (stopsTheWalk(rungs[rungs.length - 1]) || ctx.signal.aborted)
            break;
        rungs.push(await walkRung(ctx, 'promote', environment, source));
        source = rungs[rungs.length - 1].deployment ?? source;
    }
    finishWalk(ctx, rungs);
}
function stopsTheWalk(rung) {
    const result = rung.verdict?.result;
    return Boolean(rung.failure) || result === 'failed' || result === 'timed-out' || result === 'cancelled';
}
/** One rung: publish or promote under the release's own record, as its own step would. */
async function walkRung(ctx, operation, environment, source) {
    const config = { ...ctx.config, operation, environment, deploymentId: source?.id };
    const rung = newRecord(config);
    const rungCtx = { ...ctx, config, record: rung };
    ctx.log.info(`Release: ${operation === 'publish' ? 'publishing the draft to sandbox' : `promoting to ${environment}`}`);
    try {
        if (config.dryRun && operation === 'promote' && !source) {
            // The rung below was only planned: no deployment exists to look at yet.
            finishPlanned(rungCtx, { action: `Would promote what the rung below deploys to ${environment}`, environment });
        }
        else {
            await (operation === 'publish' ? publish : promote)(rungCtx);
        }
    }
    catch (error) {
        if (error instanceof CancelledError || !isExpected(error))
            throw error;
        rung.failure = error.message;
    }
    return rung;
}
/** The release's record and outputs: every rung as JSON, the usual ones for the last rung reached. */
function finishWalk(ctx, rungs) {
    const { record } = ctx;
    const last = rungs[rungs.length - 1];
    const failed = rungs.find(stopsTheWalk);
    record.environment = last.environment;
    record.deployment = last.deployment;
    record.previous = last.previous;
    record.changed = rungs.some((rung) => rung.changed);
    record.testRunIds = last.testRunIds;
    record.reports = rungs.flatMap((rung) => rung.reports);
    record.verdict = last.verdict;
    record.rolledBackTo = failed?.rolledBackTo;
    record.planned = rungs.some((rung) => rung.planned);
    record.warnings.push(...rungs.flatMap((rung) => rung.warnings));
    record.action = `${record.planned ? 'Planned a release' : 'Released'} ${rungs.map((rung) => rung.environment).join(' → ')}`;
    if (failed?.failure)
        record.failure = `The release stopped at ${failed.environment}: ${failed.failure}`;
    else if (failed) {
        const warning = `The release stopped at ${failed.environment}: its gate ${failed.verdict?.result}`;
        record.warnings.push(warning);
        ctx.log.warning(warning);
    }
    ctx.output('release', JSON.stringify(rungs.map(rungJson)));
}
function rungJson(rung) {
    return {
        environment: rung.environment,
        deploymentId: rung.deployment?.id ?? null,
        version: rung.deployment?.version ?? null,
        previousDeploymentId: rung.previous?.id ?? null,
        changed: rung.changed ?? false,
        testsResult: rung.verdict?.result ?? 'skipped',
        testRunIds: rung.testRunIds,
        rolledBack: Boolean(rung.rolledBackTo),
        planned: Boolean(rung.planned),
        ...(rung.action ? { action: rung.action } : {}),
        ...(rung.failure ? { failure: rung.failure } : {})
    };
}

;// CONCATENATED MODULE: ./src/operations/rollback.ts






/** Returns an environment to an earlier deployment: the one named, or the newest with another version. */
async function rollback(ctx) {
    const { config, client } = ctx;
    const before = await activeDeployments(client, config.agentId);
    const target = config.deploymentId ? await namedTarget(ctx, before) : await previousVersion(ctx, before, config.environment);
    const environment = (target.environment || config.environment);
    if (environment)
        recordPrevious(ctx, before, before[environment]);
    ctx.record.action = `Rolled ${environment ?? 'back'} back to ${target.id}`;
    const current = environment ? before[environment] : null;
    if (current && current.id === target.id) {
        return finishUnchanged(ctx, current, `${environment} already runs deployment ${target.id}`);
    }
    if (config.dryRun) {
        const version = target.version ? ` (version ${target.version})` : '';
        return finishPlanned(ctx, { action: `Would roll ${environment ?? 'its environment'} back to ${target.id}${version}`, environment, deployment: target });
    }
    const outcome = await writeOnce(ctx, before, { environment, version: target.version || undefined }, () => rollbackTo(client, config.agentId, target.id, config.message));
    if (outcome.already)
        return finishUnchanged(ctx, current, `${environment} already runs this version`);
    if (!environment) {
        const landed = outcome.mutation.deployment.environment;
        if (ENVIRONMENTS.includes(landed))
            recordPrevious(ctx, before, before[landed]);
    }
    await gateChange(ctx, outcome);
}
/** The named deployment, with its environment and version where they can be found. */
async function namedTarget(ctx, before) {
    const { config } = ctx;
    const found = await findDeployment(ctx, before, config.deploymentId, config.environment ? [config.environment] : ENVIRONMENTS);
    if (found)
        return found;
    // Rolling back a deployment of another environment would move that one instead: refuse.
    if (config.environment) {
        throw new OperationError(`Deployment ${config.deploymentId} is not among the last ${HISTORY_LIMIT} deployments of ${config.environment}`);
    }
    return { id: config.deploymentId, version: '', environment: '' };
}
/** The newest deployment older than the active one whose version differs from it. */
async function previousVersion(ctx, before, environment) {
    const active = before[environment];
    if (!active)
        throw new OperationError(`Nothing is active in ${environment}, so there is nothing to roll back from`);
    const history = await listDeployments(ctx.client, ctx.config.agentId, environment, HISTORY_LIMIT);
    const activeIndex = history.findIndex((deployment) => deployment.id === active.id);
    const older = activeIndex >= 0 ? history.slice(activeIndex + 1) : history;
    const target = older.find((deployment) => deployment.version !== active.version);
    if (!target) {
        throw new OperationError(`No earlier deployment of ${environment} runs a version other than the active one (${active.version}); nothing to roll back to`);
    }
    return target;
}

;// CONCATENATED MODULE: ./src/operations/wait.ts

/** Waits on test runs named by ID alone, without a deployment call. */
async function wait(ctx) {
    const { record, config } = ctx;
    record.action = `Waited for ${config.testRunIds.length} test run(s)`;
    record.testRunIds = config.testRunIds;
    ctx.output('test-run-ids', JSON.stringify(config.testRunIds));
    await gateTestRuns(ctx, config.testRunIds);
}

;// CONCATENATED MODULE: ./src/agent-run.ts








const agent_run_OPERATIONS = { list: list, active: active, publish: publish, promote: promote, rollback: rollback, wait: wait, release: release };
/** Runs the operation for one agent. Its failure is caught into its record, so it never hides another agent's. */
async function runForAgent(config, agentId, deps) {
    const agentConfig = { ...config, agentId };
    const record = newRecord(agentConfig);
    const output = (name, value) => {
        record.outputs[name] = value;
        deps.output?.(name, value);
    };
    try {
        const { client, signal, log, github } = deps;
        await agent_run_OPERATIONS[config.operation]({ config: agentConfig, client, signal, log, output, record, github });
        if (deps.signal.aborted)
            throw new CancelledError();
    }
    catch (error) {
        if (deps.signal.aborted || error instanceof CancelledError) {
            record.cancelled = true;
            const stillGoing = record.reports.filter((report) => report.state === 'cancelled').map((report) => report.id);
            record.failure = `The run was cancelled${stillGoing.length > 0 ? `; test runs still going: ${stillGoing.join(', ')}` : ''}`;
        }
        else if (isExpected(error)) {
            record.failure = error.message;
        }
        else {
            // Unexpected: the stack helps whoever reports it.
            deps.log.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
            record.failure = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
        }
    }
    return record;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(7067);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/proxy.js
var proxy = __nccwpck_require__(9783);
;// CONCATENATED MODULE: ./src/ids.ts
/**
 * Random identifiers without node:crypto, whose loading is a tenth of a step's start-up. Neither use
 * needs secrecy: a correlation id only has to be unique enough to find one request in PolyAI's logs,
 * and an output delimiter is checked against the value it encloses before it is used.
 */
const hex = (digits) => Array.from({ length: digits }, () => Math.floor(Math.random() * 16).toString(16)).join('');
/** A version 4 UUID, the form PolyAI's correlation ids take. */
function uuid() {
    const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
/** A heredoc delimiter for the runner's files that occurs in none of the texts it encloses. */
function delimiterFor(...texts) {
    for (;;) {
        const delimiter = `ghadelimiter_${uuid()}`;
        if (!texts.some((text) => text.includes(delimiter)))
            return delimiter;
    }
}

;// CONCATENATED MODULE: ./src/api/transport.ts

// Errors raised before the request reached the server: it surely did not act on it.
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
function exchange(request) {
    return new Promise((resolve, reject) => {
        let settled = false;
        const rejectWith = (error) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            request.signal.removeEventListener('abort', onAbort);
            outgoing.destroy();
            reject(error);
        };
        const fail = (reason, phase) => rejectWith(new TransportError(request.label, reason, phase, request.correlationId));
        const onAbort = () => fail('cancelled', 'dropped');
        const timer = setTimeout(() => fail(`no answer within ${request.timeoutMs / 1000}s (request-timeout)`, 'timeout'), request.timeoutMs);
        const outgoing = request.send(request.url, {
            method: request.method,
            headers: request.headers,
            agent: request.agent
        });
        outgoing.on('error', (error) => {
            const code = error.code ?? '';
            fail(`${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`, UNSENT_CODES.has(code) ? 'unsent' : 'dropped');
        });
        outgoing.on('response', (incoming) => {
            const chunks = [];
            let size = 0;
            incoming.on('data', (chunk) => {
                size += chunk.length;
                if (size > request.maxBodyBytes) {
                    // Not a transient failure: asking again brings the same answer.
                    const message = `the answer was larger than ${request.maxBodyBytes} bytes`;
                    return rejectWith(new ApiError(incoming.statusCode ?? 0, 'RESPONSE_TOO_LARGE', message, request.correlationId, request.label));
                }
                chunks.push(chunk);
            });
            incoming.on('error', (error) => fail(error.message, 'dropped'));
            incoming.on('aborted', () => fail('the connection closed mid-answer', 'dropped'));
            incoming.on('end', () => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                request.signal.removeEventListener('abort', onAbort);
                resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') });
            });
        });
        if (request.signal.aborted)
            return onAbort();
        request.signal.addEventListener('abort', onAbort, { once: true });
        outgoing.end(request.body);
    });
}

;// CONCATENATED MODULE: ./src/api/client.ts








const USER_AGENT = 'polyai-release-gate';
const MAX_SERVER_WAIT_MS = 5 * 60_000;
class ApiClient {
    options;
    connection;
    pausedUntil = 0;
    /** Learned from 429s: the spacing between request starts that the server accepts. */
    minGapMs = 0;
    nextSlotAt = 0;
    lastThrottledAt = 0;
    recentStarts = [];
    /** Requests in flight at once. */
    turns;
    stats = { requests: 0, retries: 0, throttled: 0 };
    constructor(options) {
        this.options = options;
        this.connection = connectionFor(new URL(options.baseUrl));
        this.turns = new Turns(options.maxConcurrent ?? 8);
    }
    /** A read: retried on network errors, timeouts, 429 and 5xx, honouring Retry-After. */
    get(path, call = {}) {
        return this.withRetries('GET', path, undefined, call);
    }
    /**
     * A write, sent again only where the server surely did not act on it: refused connections,
     * and 429 or 503 that carry Retry-After. Every other failure goes back to the caller to reconcile.
     */
    post(path, body, call = {}) {
        return this.withRetries('POST', path, JSON.stringify(body), { signal: this.options.writeSignal, ...call });
    }
    async withRetries(method, path, body, call) {
        const tries = call.tries ?? this.options.maxTries ?? 5;
        for (let attempt = 0;; attempt++) {
            try {
                return await this.send(method, path, body, call);
            }
            catch (error) {
                const wait = this.retryWait(error, attempt, tries, call, method === 'GET');
                if (wait === undefined)
                    throw error;
                this.stats.retries++;
                this.options.debug?.(`Sending ${method} ${path} again in ${wait} ms: ${error.message}`);
                await sleep(wait, call.signal ?? this.options.signal);
            }
        }
    }
    close() {
        void this.connection.then((connection) => connection.dispose());
    }
    /** How long to wait before the next try, or undefined when this error is final. */
    retryWait(error, attempt, tries, call, idempotent) {
        if (error instanceof CancelledError || (call.signal ?? this.options.signal).aborted)
            return undefined;
        if (attempt + 1 >= tries)
            return undefined;
        let serverWait;
        if (error instanceof ApiError) {
            serverWait = error.retryAfterMs;
            const safeToResend = error.status === 429 || (error.status === 503 && serverWait !== undefined);
            if (!RETRYABLE_STATUSES.has(error.status) || (!idempotent && !safeToResend))
                return undefined;
        }
        else if (error instanceof TransportError) {
            if (!idempotent && error.phase !== 'unsent')
                return undefined;
        }
        else {
            return undefined;
        }
        // A server that asks for a very long pause is better reported than waited out.
        if (serverWait !== undefined && serverWait > MAX_SERVER_WAIT_MS)
            return undefined;
        const wait = Math.max(serverWait ?? 0, backoffMs(attempt, this.options.backoffBaseMs ?? 500, this.options.backoffCapMs ?? 10_000));
        return wait;
    }
    async send(method, path, body, call) {
        const signal = call.signal ?? this.options.signal;
        await this.turns.take();
        try {
            await this.pace(signal);
            const url = new URL(this.options.baseUrl + path);
            for (const [name, value] of Object.entries(call.query ?? {})) {
                if (value !== undefined)
                    url.searchParams.set(name, String(value));
            }
            const correlationId = uuid();
            const label = `${method} ${url.pathname}`;
            this.stats.requests++;
            this.options.debug?.(`${label} (correlation id ${correlationId})`);
            const raw = await exchange({
                method,
                url,
                headers: {
                    'X-API-KEY': this.options.apiKey,
                    'X-PolyAI-Correlation-Id': correlationId,
                    Accept: 'application/json',
                    'User-Agent': USER_AGENT,
                    ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
                },
                body,
                ...(await this.connection),
                timeoutMs: this.options.requestTimeoutMs,
                maxBodyBytes: this.options.maxBodyBytes ?? 8 * 1024 * 1024,
                signal,
                label,
                correlationId
            });
            return this.answerFrom(raw, label, correlationId);
        }
        catch (error) {
            if (signal.aborted)
                throw new CancelledError();
            throw error;
        }
        finally {
            this.turns.give();
        }
    }
    answerFrom(raw, label, correlationId) {
        const parsed = parseJson(raw.text);
        if (raw.status >= 200 && raw.status < 300) {
            if (parsed === undefined) {
                throw new ApiError(raw.status, 'INVALID_RESPONSE', 'the answer was not JSON', correlationId, label);
            }
            return { status: raw.status, body: parsed, correlationId };
        }
        if (raw.status >= 300 && raw.status < 400) {
            // A redirect could carry the key to another host: never follow one.
            throw new ApiError(raw.status, 'REDIRECT_REFUSED', `redirect to ${String(raw.headers.location ?? '(no location)')} refused`, correlationId, label);
        }
        const envelope = (parsed && typeof parsed === 'object' ? parsed : {});
        const error = new ApiError(raw.status, typeof envelope.error_code === 'string' ? envelope.error_code : '', typeof envelope.error_message === 'string' ? envelope.error_message : typeof envelope.error === 'string' ? envelope.error : raw.text.slice(0, 200), typeof envelope.error_id === 'string' && envelope.error_id ? envelope.error_id : correlationId, label);
        error.retryAfterMs = retryAfterMs(raw.headers['retry-after'], Date.now());
        if (raw.status === 429)
            this.throttled(error.retryAfterMs);
        throw error;
    }
    /** Waits for this request's turn: after any Retry-After pause, and spaced as the rate limit taught. */
    async pace(signal) {
        const now = Date.now();
        const slot = Math.max(now, this.pausedUntil, this.nextSlotAt);
        this.nextSlotAt = slot + this.minGapMs;
        if (slot > now)
            await sleep(slot - now, signal);
        const started = Date.now();
        this.recentStarts.push(started);
        while (this.recentStarts[0] < started - 1000)
            this.recentStarts.shift();
        // Speed up again, gently, once the server has stopped throttling for a while.
        if (this.minGapMs > 0 && started - this.lastThrottledAt > 5000)
            this.minGapMs = this.minGapMs < 1 ? 0 : this.minGapMs * 0.95;
    }
    /** A 429 slows the whole client down, not only the request: a pause, then a pace below the one that tripped it. */
    throttled(retryAfterMs) {
        const now = Date.now();
        this.stats.throttled++;
        this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? 1000));
        // The other answers to the same burst say nothing new: learn once per second.
        if (now - this.lastThrottledAt < 1000)
            return;
        const accepted = Math.max(1, this.recentStarts.filter((at) => at > now - 1000).length * 0.9);
        this.minGapMs = Math.min(1000, Math.max(this.minGapMs * 1.5, 1000 / accepted));
        this.lastThrottledAt = now;
    }
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/**
 * Keep-alive sockets to the API. Where HTTPS_PROXY / NO_PROXY send it through a proxy,
 * @actions/http-client builds the tunnel, as for every action. https and http-client are loaded only
 * when needed: TLS and undici are most of a step's start-up time otherwise.
 */
async function connectionFor(baseUrl) {
    const https = baseUrl.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4708, 23)) : undefined;
    const send = https ? https.request : external_node_http_.request;
    if ((0,proxy/* getProxyUrl */.s)(baseUrl)) {
        const { HttpClient } = await Promise.all(/* import() */[__nccwpck_require__.e(119), __nccwpck_require__.e(779)]).then(__nccwpck_require__.bind(__nccwpck_require__, 2779));
        const proxied = new HttpClient(USER_AGENT, [], { allowRedirects: false, keepAlive: true, maxSockets: 16 });
        return { send, agent: proxied.getAgent(baseUrl.href), dispose: () => proxied.dispose() };
    }
    const options = { keepAlive: true, maxSockets: 16 };
    const agent = https ? new https.Agent(options) : new external_node_http_.Agent(options);
    return { send, agent, dispose: () => agent.destroy() };
}

;// CONCATENATED MODULE: ./src/fleet.ts
/**
 * Runs one task per agent, at most `maxParallel` at once. With failFast, no new agent starts after
 * a failure; those are returned as not started. Each agent's record stands on its own.
 */
async function forEachAgent(agentIds, options, runOne, notStarted) {
    const records = new Array(agentIds.length);
    let next = 0;
    let stopReason;
    const worker = async () => {
        while (next < agentIds.length) {
            const index = next++;
            if (options.signal.aborted)
                stopReason ??= 'the run was cancelled';
            if (stopReason) {
                records[index] = notStarted(agentIds[index], stopReason);
                continue;
            }
            records[index] = await runOne(agentIds[index]);
            if (options.failFast && records[index].failure)
                stopReason ??= `not started: fail-fast after ${agentIds[index]} failed`;
        }
    };
    await Promise.all(Array.from({ length: Math.min(options.maxParallel, agentIds.length) }, worker));
    return records;
}

;// CONCATENATED MODULE: ./src/github/mirror.ts
async function loadOctokit(token) {
    // Loaded only when asked for: Octokit is a large part of the bundle and most steps never need it.
    const { getOctokit } = await Promise.all(/* import() */[__nccwpck_require__.e(119), __nccwpck_require__.e(413)]).then(__nccwpck_require__.bind(__nccwpck_require__, 2413));
    return getOctokit(token);
}
class GitHubMirror {
    settings;
    env;
    log;
    octokit;
    owner;
    repo;
    constructor(settings, env, log) {
        this.settings = settings;
        this.env = env;
        this.log = log;
        ;
        [this.owner, this.repo] = (env.GITHUB_REPOSITORY ?? '/').split('/');
    }
    /** Creates the GitHub deployment and marks it in progress; undefined when GitHub refused. */
    async started(agentId, deployment, description) {
        try {
            const octokit = await (this.octokit ??= loadOctokit(this.settings.token));
            const created = await octokit.rest.repos.createDeployment({
                owner: this.owner,
                repo: this.repo,
                ref: this.env.GITHUB_SHA || this.env.GITHUB_REF || 'HEAD',
                environment: this.environmentName(deployment.environment),
                description: description.slice(0, 140),
                auto_merge: false,
                required_contexts: [],
                production_environment: deployment.environment === 'live',
                transient_environment: false,
                payload: { polyaiAgentId: agentId, polyaiDeploymentId: deployment.id, polyaiVersion: deployment.version }
            });
            const id = 'id' in created.data ? created.data.id : undefined;
            if (id === undefined)
                throw new Error(`GitHub did not create the deployment (HTTP ${created.status})`);
            await this.status(id, deployment.environment, 'in_progress', 'Waiting for the PolyAI test runs');
            return id;
        }
        catch (error) {
            this.warn(error);
            return undefined;
        }
    }
    async finished(id, environment, state, description) {
        if (id === undefined)
            return;
        try {
            await this.status(id, environment, state, description);
        }
        catch (error) {
            this.warn(error);
        }
    }
    environmentName(environment) {
        return `${this.settings.environmentPrefix}${environment}`;
    }
    async status(id, environment, state, description) {
        const octokit = await this.octokit;
        const server = this.env.GITHUB_SERVER_URL || 'https://github.com';
        await octokit.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            state,
            description: description.slice(0, 140),
            environment: this.environmentName(environment),
            auto_inactive: true,
            ...(this.env.GITHUB_RUN_ID ? { log_url: `${server}/${this.owner}/${this.repo}/actions/runs/${this.env.GITHUB_RUN_ID}` } : {})
        });
    }
    warn(error) {
        const status = error.status;
        const hint = status === 403 || status === 404 ? ' (the token needs `permissions: deployments: write`)' : '';
        this.log.warning(`GitHub deployment not mirrored: ${error instanceof Error ? error.message : String(error)}${hint}`);
    }
}

;// CONCATENATED MODULE: ./src/parse.ts

/** Pure parsers for input strings; each names the input in its error. */
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** `90s`, `15m`, `1h`, `250ms` or plain seconds (`45`, `0.5`) to milliseconds. */
function parseDuration(input, value) {
    const match = DURATION.exec(value.trim());
    const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']) : NaN;
    // Checked after rounding: '0.4ms' would otherwise become a zero interval.
    if (!Number.isFinite(ms) || ms <= 0) {
        throw new InputError(input, `must be a duration such as 90s, 15m, 1h or plain seconds; got '${value}'`);
    }
    return ms;
}
function parseBoolean(input, value) {
    const normalised = value.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(normalised))
        return true;
    if (['false', 'no', '0', 'off'].includes(normalised))
        return false;
    throw new InputError(input, `must be true or false; got '${value}'`);
}
function parseChoice(input, value, choices) {
    const normalised = value.trim().toLowerCase();
    const found = choices.find((choice) => choice === normalised);
    if (!found)
        throw new InputError(input, `must be one of ${choices.join(', ')}; got '${value}'`);
    return found;
}
function parsePositiveInteger(input, value, max) {
    const trimmed = value.trim();
    const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
        throw new InputError(input, `must be a whole number from 1 to ${max}; got '${value}'`);
    }
    return parsed;
}
/** A JSON array of strings, or values separated by commas or new lines. */
function parseList(input, value) {
    const trimmed = value.trim();
    if (trimmed === '')
        return [];
    if (trimmed.startsWith('[')) {
        let parsed;
        try {
            parsed = JSON.parse(trimmed);
        }
        catch {
            throw new InputError(input, 'looks like a JSON array but is not valid JSON');
        }
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
            throw new InputError(input, 'must be a JSON array of strings, or values separated by commas or new lines');
        }
        return parsed.map((item) => item.trim()).filter((item) => item !== '');
    }
    return trimmed
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
}
// Control characters (C0, DEL, C1) could smuggle log commands or headers.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/; // eslint-disable-line no-control-regex
/** An identifier that goes into a URL path as one segment. */
function parseId(input, value) {
    const trimmed = value.trim();
    if (trimmed === '')
        throw new InputError(input, 'must not be empty or whitespace');
    if (trimmed === '.' || trimmed === '..')
        throw new InputError(input, `must be an ID, not '${trimmed}'`);
    if (CONTROL.test(trimmed))
        throw new InputError(input, 'must not contain control characters');
    if (trimmed.length > 200)
        throw new InputError(input, 'must be at most 200 characters long');
    return trimmed;
}

;// CONCATENATED MODULE: ./src/inputs.ts



/** Defaults as declared in action.yml; applied here too so a run without the runner behaves the same. */
const DEFAULTS = {
    region: 'us',
    'wait-for-tests': 'true',
    timeout: '30m',
    'poll-interval': '5s',
    'request-timeout': '30s',
    'fail-on-test-failure': 'true',
    'rollback-on-failure': 'false',
    'if-unchanged': 'pass',
    limit: '20',
    'dry-run': 'false',
    'max-parallel': '4',
    'fail-fast': 'false',
    'github-deployment': 'false',
    'github-environment-prefix': 'polyai-'
};
/** Reads and validates every input into one Config, before any request is made. */
function readConfig(read, env) {
    const input = (name) => read(name).trim() || DEFAULTS[name] || '';
    const required = (name) => {
        const value = input(name);
        if (value === '')
            throw new InputError(name, 'is required');
        return value;
    };
    const apiKey = required('api-key');
    const agentIds = [...new Set(parseList('agent-id', required('agent-id')).map((id) => parseId('agent-id', id)))];
    if (agentIds.length === 0)
        throw new InputError('agent-id', 'is required');
    const operation = parseChoice('operation', required('operation'), OPERATIONS);
    const givenEnvironment = input('environment')
        ? parseChoice('environment', input('environment'), ENVIRONMENTS)
        : undefined;
    const deploymentId = input('deployment-id') ? parseId('deployment-id', input('deployment-id')) : undefined;
    const testRunIds = parseList('test-run-ids', input('test-run-ids')).map((id) => parseId('test-run-ids', id));
    const config = {
        apiKey,
        agentId: agentIds[0],
        agentIds,
        operation,
        environment: environmentFor(operation, givenEnvironment, deploymentId),
        deploymentId,
        message: input('message') || defaultMessage(env),
        baseUrl: baseUrlFrom(input('base-url'), input('region')),
        waitForTests: parseBoolean('wait-for-tests', input('wait-for-tests')),
        testRunIds,
        timeoutMs: parseDuration('timeout', input('timeout')),
        pollIntervalMs: parseDuration('poll-interval', input('poll-interval')),
        requestTimeoutMs: parseDuration('request-timeout', input('request-timeout')),
        failOnTestFailure: parseBoolean('fail-on-test-failure', input('fail-on-test-failure')),
        rollbackOnFailure: parseBoolean('rollback-on-failure', input('rollback-on-failure')),
        ifUnchanged: parseChoice('if-unchanged', input('if-unchanged'), ['pass', 'fail']),
        limit: parsePositiveInteger('limit', input('limit'), 1000),
        dryRun: parseBoolean('dry-run', input('dry-run')),
        maxParallel: parsePositiveInteger('max-parallel', input('max-parallel'), 50),
        failFast: parseBoolean('fail-fast', input('fail-fast')),
        github: parseBoolean('github-deployment', input('github-deployment')) ? githubSettings(input, env) : undefined
    };
    checkOperationInputs(config);
    return config;
}
function environmentFor(operation, given, deploymentId) {
    switch (operation) {
        case 'publish':
            return given ?? 'sandbox';
        case 'release':
            return given ?? 'live';
        case 'list':
            if (!given)
                throw new InputError('environment', 'is required for list: one of sandbox, pre-release, live');
            return given;
        case 'promote':
            if (!given)
                throw new InputError('environment', 'is required for promote: the target, pre-release or live');
            if (given === 'sandbox') {
                throw new InputError('environment', 'cannot be sandbox for promote: sandbox is only ever published to');
            }
            return given;
        case 'rollback':
            if (!given && !deploymentId) {
                throw new InputError('environment', 'is required for rollback unless deployment-id names the deployment to return to');
            }
            return given;
        default:
            return given;
    }
}
function checkOperationInputs(config) {
    const { operation } = config;
    if (config.deploymentId && !['promote', 'rollback', 'release'].includes(operation)) {
        throw new InputError('deployment-id', `is only used by promote, rollback and release, not by ${operation}`);
    }
    if (config.deploymentId && config.agentIds.length > 1) {
        throw new InputError('deployment-id', 'names one deployment of one agent, so it cannot be used with several agents');
    }
    if (operation === 'wait' && config.testRunIds.length === 0) {
        throw new InputError('test-run-ids', 'is required for wait: a JSON array, or IDs separated by commas or new lines');
    }
    if (operation !== 'wait' && config.testRunIds.length > 0) {
        throw new InputError('test-run-ids', `is only used by wait, not by ${operation}`);
    }
    if (config.pollIntervalMs > config.timeoutMs) {
        throw new InputError('poll-interval', 'must not be longer than timeout');
    }
}
function githubSettings(input, env) {
    const token = input('github-token') || env.GITHUB_TOKEN || '';
    if (token === '')
        throw new InputError('github-token', 'is required when github-deployment is true (the default is the workflow token)');
    const environmentPrefix = input('github-environment-prefix');
    if (!/^[A-Za-z0-9._-]{0,100}$/.test(environmentPrefix)) {
        throw new InputError('github-environment-prefix', `must be letters, digits, '.', '_' or '-'; got '${environmentPrefix}'`);
    }
    if (!/^[^/]+\/[^/]+$/.test(env.GITHUB_REPOSITORY ?? '')) {
        throw new InputError('github-deployment', 'needs GITHUB_REPOSITORY (owner/name), which the runner sets');
    }
    return { token, environmentPrefix };
}
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** base-url wins over region; https only, except loopback hosts for local emulators. */
function baseUrlFrom(baseUrl, region) {
    if (baseUrl === '')
        return REGIONS[parseChoice('region', region, Object.keys(REGIONS))];
    let url;
    try {
        url = new URL(baseUrl);
    }
    catch {
        throw new InputError('base-url', `must be an absolute URL such as https://api.us.poly.ai; got '${baseUrl}'`);
    }
    if (url.username || url.password)
        throw new InputError('base-url', 'must not contain credentials');
    // A bare '?' or '#' leaves url.search empty yet would swallow the API path: check the text.
    if (/[?#]/.test(baseUrl))
        throw new InputError('base-url', 'must not contain a query or fragment');
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new InputError('base-url', 'must use https:// (http:// is allowed only for 127.0.0.1, localhost and [::1])');
    }
    return url.href.replace(/\/+$/, '');
}
/** "owner/repo@abc1234 (main): https://github.com/owner/repo/actions/runs/1" from the runner's variables. */
function defaultMessage(env) {
    const repository = env.GITHUB_REPOSITORY;
    if (!repository)
        return 'Deployed by polyai-release-gate';
    const sha = env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : '';
    const ref = env.GITHUB_REF_NAME || env.GITHUB_REF;
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    const run = env.GITHUB_RUN_ID ? `: ${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : '';
    return `${repository}${sha}${ref ? ` (${ref})` : ''}${run}`;
}

;// CONCATENATED MODULE: ./src/report/results.ts

/** One agent's entry in the `results` output: what it runs now and how its gate went. */
function resultJson(record) {
    return {
        agentId: record.agentId,
        operation: record.operation,
        status: record.notStarted ? 'not-started' : record.cancelled ? 'cancelled' : record.failure ? 'failed' : 'passed',
        environment: record.environment ?? null,
        deploymentId: record.deployment?.id ?? null,
        version: record.deployment?.version ?? null,
        previousDeploymentId: record.previous?.id ?? null,
        changed: record.changed ?? false,
        testsResult: record.verdict?.result ?? null,
        testRunIds: record.testRunIds,
        rolledBack: Boolean(record.rolledBackTo),
        dryRun: Boolean(record.planned),
        ...(record.rungs ? { release: record.rungs.map(rungJson) } : {}),
        ...(record.failure ? { error: record.failure } : {})
    };
}

;// CONCATENATED MODULE: ./src/report/summary.ts

/** The job summary as markdown: a pure function of what the step did. */
const STATE_ICON = {
    passed: '✅ passed',
    failed: '❌ failed',
    'timed-out': '⏱️ timed out',
    unreadable: '⚠️ unreadable',
    cancelled: '⏹️ still going',
    running: '⏳ running'
};
/** Table cells and inline text from the API: no pipes, no markup, no new lines. */
function cell(text) {
    return text.replace(/[\\`*{}[\]<>|#]/g, (char) => `\\${char}`).replace(/\s+/g, ' ');
}
/** A code span that stays inside its table cell: GitHub splits cells on a pipe even within code. */
function code(text) {
    return text ? `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\`` : '—';
}
function outcomeLine(record) {
    if (record.notStarted)
        return '⏭️ Not started';
    if (record.cancelled)
        return '⏹️ Cancelled';
    if (record.failure)
        return '❌ Failed';
    if (record.planned)
        return '📝 Dry run, nothing written';
    if (record.verdict?.result === 'skipped' && record.changed === false)
        return '➖ Nothing to do';
    if (record.warnings.length > 0)
        return '⚠️ Passed with warnings';
    return '✅ Passed';
}
function summaryMarkdown(record, env) {
    const lines = [];
    lines.push(`## PolyAI release gate: ${outcomeLine(record)}`, '');
    if (record.rolledBackTo) {
        lines.push(`> [!WARNING]`, `> The gate failed, so ${record.environment} was **rolled back** to version ${code(record.rolledBackTo.version)} (new deployment ${code(record.rolledBackTo.id)}).`, '');
    }
    if (record.failure)
        lines.push(`**Why:** ${cell(record.failure)}`, '');
    if (record.action)
        lines.push(`${cell(record.action)}.`, '');
    lines.push('| | |', '|---|---|');
    lines.push(`| Agent | ${code(record.agentId)} |`);
    lines.push(`| Operation | ${record.operation} |`);
    if (record.environment)
        lines.push(`| Environment | ${record.environment} |`);
    if (record.deployment) {
        lines.push(`| Deployment | ${code(record.deployment.id)} |`);
        lines.push(`| Version | ${code(record.deployment.version)} |`);
    }
    if (record.previous !== undefined) {
        lines.push(`| Before | ${record.previous ? `${code(record.previous.version)} (deployment ${code(record.previous.id)})` : 'nothing active'} |`);
    }
    if (record.changed !== undefined)
        lines.push(`| Changed | ${record.changed ? 'yes' : 'no'} |`);
    const trigger = triggerLine(env);
    if (trigger)
        lines.push(`| Triggered by | ${trigger} |`);
    lines.push('');
    if (record.rungs)
        lines.push(...ladderTable(record.rungs), '');
    lines.push(...environmentsTable(record));
    if (record.activeBefore && record.operation === 'active')
        lines.push(...activeTable(record.activeBefore), '');
    if (record.deployments)
        lines.push(...deploymentsTable(record.deployments), '');
    lines.push(...testRunSection(record));
    if (record.warnings.length > 0) {
        lines.push('### Warnings', '', ...record.warnings.map((warning) => `- ${cell(warning)}`), '');
    }
    return lines.join('\n');
}
const RESULT_ICON = {
    passed: '✅ passed',
    failed: '❌ failed',
    'timed-out': '⏱️ timed out',
    cancelled: '⏹️ cancelled',
    none: '⚠️ no tests',
    skipped: '➖ not run'
};
/** The version active in each environment before the step and after it, from what the step did. */
function environmentsTable(record) {
    const steps = record.rungs ?? [record];
    const before = steps[0]?.activeBefore;
    if (!before || record.operation === 'active' || record.planned)
        return [];
    const after = { ...before };
    for (const step of steps) {
        if (step.changed && step.deployment)
            after[step.deployment.environment] = step.deployment;
        if (step.rolledBackTo)
            after[step.rolledBackTo.environment] = step.rolledBackTo;
    }
    const version = (deployment) => (deployment ? code(deployment.version) : 'nothing');
    return [
        '### Environments',
        '',
        '| Environment | Before | After |',
        '|---|---|---|',
        ...ENVIRONMENTS.map((environment) => {
            const changed = before[environment]?.id !== after[environment]?.id;
            return `| ${changed ? `**${environment}**` : environment} | ${version(before[environment])} | ${changed ? `**${version(after[environment])}** (${code(after[environment]?.id)})` : 'unchanged'} |`;
        }),
        ''
    ];
}
/** "✅ passed (6/6)": a step's verdict in one table cell. */
function testsCell(record) {
    if (!record.verdict)
        return '';
    const { result, passed, total } = record.verdict;
    return `${RESULT_ICON[result] ?? result}${total > 0 ? ` (${passed}/${total})` : ''}`;
}
/** A release's walk, one row a rung, lowest first. */
function ladderTable(rungs) {
    return [
        '### The ladder',
        '',
        '| Rung | What happened | Version | Deployment | Before | Tests |',
        '|---|---|---|---|---|---|',
        ...rungs.map((rung) => {
            const what = rung.failure ? `❌ ${cell(rung.failure)}` : cell(rung.action ?? '');
            const before = rung.previous === undefined ? '' : rung.previous ? code(rung.previous.version) : 'nothing';
            return `| ${rung.environment ?? ''} | ${what}${rung.rolledBackTo ? ' (rolled back)' : ''} | ${code(rung.deployment?.version)} | ${code(rung.deployment?.id)} | ${before} | ${testsCell(rung)} |`;
        })
    ];
}
/** A fleet: a row per agent, then each agent's own summary folded away. */
function fleetSummaryMarkdown(records, env) {
    const failed = records.filter((record) => record.failure).length;
    const lines = [
        `## PolyAI release gate: ${failed === 0 ? '✅' : '❌'} ${records.length - failed} of ${records.length} agents passed`,
        '',
        '| Agent | Result | Environment | Version | Changed | Tests | Note |',
        '|---|---|---|---|---|---|---|',
        ...records.map((record) => {
            const note = record.failure ?? record.action ?? '';
            return `| ${code(record.agentId)} | ${outcomeLine(record)} | ${record.environment ?? ''} | ${code(record.deployment?.version)} | ${record.changed ? 'yes' : 'no'} | ${testsCell(record)} | ${cell(note)} |`;
        }),
        ''
    ];
    for (const record of records) {
        if (record.notStarted)
            continue;
        const body = summaryMarkdown(record, env).replace(/^(#{2,5}) /gm, '#$1 ');
        lines.push('<details>', `<summary>${cell(record.agentId)}</summary>`, '', body, '</details>', '');
    }
    return lines.join('\n');
}
function triggerLine(env) {
    const parts = [];
    if (env.GITHUB_ACTOR)
        parts.push(cell(env.GITHUB_ACTOR));
    if (env.GITHUB_EVENT_NAME)
        parts.push(`on ${cell(env.GITHUB_EVENT_NAME)}`);
    if (env.GITHUB_SHA)
        parts.push(`commit ${code(env.GITHUB_SHA.slice(0, 7))}`);
    if (env.GITHUB_REF_NAME || env.GITHUB_REF)
        parts.push(`ref ${code(env.GITHUB_REF_NAME || env.GITHUB_REF)}`);
    if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
        const server = env.GITHUB_SERVER_URL || 'https://github.com';
        parts.push(`[run ${cell(env.GITHUB_RUN_ID)}](${server}/${env.GITHUB_REPOSITORY}/actions/runs/${encodeURIComponent(env.GITHUB_RUN_ID)})`);
    }
    return parts.join(', ');
}
function activeTable(active) {
    return [
        '| Environment | Version | Deployment | Created |',
        '|---|---|---|---|',
        ...ENVIRONMENTS.map((environment) => {
            const deployment = active[environment];
            return deployment
                ? `| ${environment} | ${code(deployment.version)} | ${code(deployment.id)} | ${cell(deployment.createdAt)} |`
                : `| ${environment} | — | nothing active | |`;
        })
    ];
}
function deploymentsTable(deployments) {
    if (deployments.length === 0)
        return ['No deployments.'];
    return [
        '| Deployment | Version | Created | By | Message |',
        '|---|---|---|---|---|',
        ...deployments.map((deployment) => `| ${code(deployment.id)} | ${code(deployment.version)} | ${cell(deployment.createdAt)} | ${cell(deployment.createdBy)} | ${cell(deployment.message ?? '')} |`)
    ];
}
function duration(report) {
    if (report.durationMs === undefined)
        return '';
    if (report.durationMs < 10_000)
        return `${(report.durationMs / 1000).toFixed(1)}s`;
    const seconds = Math.round(report.durationMs / 1000);
    return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}
function testRunSection(record) {
    if (!record.verdict && record.testRunIds.length === 0)
        return [];
    const lines = ['### Test runs', ''];
    if (record.testsSkipped) {
        lines.push(record.testRunIds.length > 0 ? `Not waited on: ${record.testRunIds.map(code).join(', ')}.` : 'No tests ran.', '');
        return lines;
    }
    if (record.testRunIds.length === 0)
        return [...lines, 'The call triggered no test runs.', ''];
    const reported = new Map(record.reports.map((report) => [report.id, report]));
    lines.push('| Test run | Status | Passed | Failed | Errors | Cases | Duration |', '|---|---|---|---|---|---|---|');
    for (const id of record.testRunIds) {
        const report = reported.get(id);
        lines.push(report
            ? `| ${code(id)} | ${STATE_ICON[report.state] ?? report.state} | ${report.passed} | ${report.failed} | ${report.errored} | ${report.total} | ${duration(report)} |`
            : `| ${code(id)} | ${record.cancelled ? STATE_ICON.cancelled : '—'} | | | | | |`);
    }
    if (record.verdict) {
        const { passed, failed, errored, total } = record.verdict;
        lines.push(`| **All** | **${record.verdict.result}** | ${passed} | ${failed} | ${errored} | ${total} | |`);
    }
    lines.push('');
    const failing = record.reports.flatMap((report) => report.failedCases.map((entry) => ({ run: report.id, entry })));
    if (failing.length > 0) {
        lines.push('#### Failing test cases', '', '| Test run | Test case | Status |', '|---|---|---|');
        for (const { run, entry } of failing.slice(0, 100))
            lines.push(`| ${code(run)} | ${code(entry.testCaseId)} | ${cell(entry.status)} |`);
        if (failing.length > 100)
            lines.push(`| | …and ${failing.length - 100} more | |`);
        lines.push('');
    }
    const notes = record.reports.filter((report) => report.note);
    if (notes.length > 0)
        lines.push(...notes.map((report) => `- ${code(report.id)}: ${cell(report.note)}`), '');
    return lines;
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/runner.ts



/**
 * The GitHub runner's protocol: inputs from INPUT_* variables, workflow commands on stdout, outputs
 * and the job summary in the files the runner names. The same wire format as @actions/core (a test
 * holds the two side by side); written here because importing @actions/core also evaluates its OIDC
 * client, @actions/http-client and undici, which more than doubles the step's start-up time.
 */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
const escapeData = (text) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
function command(name, properties, message) {
    const given = Object.entries(properties).filter(([, value]) => value);
    const props = given.length > 0 ? ` ${given.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',')}` : '';
    process.stdout.write(`::${name}${props}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
/** A plain log line. A line of it that looks like a workflow command is defused, since text may come from the API. */
function info(message) {
    process.stdout.write(`${message.replace(/^(::|##\[)/gm, ' $1')}${external_node_os_namespaceObject.EOL}`);
}
const debug = (message) => command('debug', {}, message);
const warning = (message, title) => command('warning', { title }, message);
const error = (message, title) => command('error', { title }, message);
/** Masks the value in every later log line the runner shows. */
const setSecret = (value) => command('add-mask', {}, value);
function setOutput(name, value) {
    const file = process.env.GITHUB_OUTPUT;
    if (!file)
        return command('set-output', { name }, value);
    const delimiter = delimiterFor(name, value);
    (0,external_node_fs_namespaceObject.appendFileSync)(file, `${name}<<${delimiter}${external_node_os_namespaceObject.EOL}${value}${external_node_os_namespaceObject.EOL}${delimiter}${external_node_os_namespaceObject.EOL}`, 'utf8');
}
/** Appends to the job summary; a run outside a runner has none and skips it. */
function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file)
        (0,external_node_fs_namespaceObject.appendFileSync)(file, `${markdown}${external_node_os_namespaceObject.EOL}`, 'utf8');
}
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}

;// CONCATENATED MODULE: ./src/main.ts









/**
 * Reads the inputs, runs the operation for every agent, then reports: outputs, job summary,
 * annotations, verdict. `signal` cancels the step; `writeSignal` also abandons a write in flight.
 */
async function run(signal = new AbortController().signal, writeSignal = signal) {
    // Masked before anything else can log it.
    const apiKey = getInput('api-key');
    if (apiKey)
        setSecret(apiKey);
    const log = logFor(apiKey, '');
    let config;
    try {
        config = readConfig(getInput, process.env);
    }
    catch (error) {
        return setFailed(redact(error instanceof Error ? error.message : String(error), apiKey));
    }
    if (config.github)
        setSecret(config.github.token);
    const github = config.github && !config.dryRun ? new GitHubMirror(config.github, process.env, log) : undefined;
    // One client for every agent: one connection pool, one rate limit.
    const client = new ApiClient({ baseUrl: config.baseUrl, apiKey, requestTimeoutMs: config.requestTimeoutMs, signal, writeSignal, debug: log.debug });
    let records;
    try {
        if (config.agentIds.length === 1) {
            records = [await runForAgent(config, config.agentId, { client, signal, log, github, output: setOutput })];
        }
        else {
            log.info(`Running ${config.operation} for ${config.agentIds.length} agents, at most ${config.maxParallel} at once`);
            records = await forEachAgent(config.agentIds, { maxParallel: config.maxParallel, failFast: config.failFast, signal }, (agentId) => runForAgent(config, agentId, { client, signal, github, log: logFor(apiKey, `[${agentId}] `) }), (agentId, reason) => ({ ...newRecord({ ...config, agentId }), failure: reason, notStarted: true }));
        }
    }
    finally {
        client.close();
    }
    setOutput('results', JSON.stringify(records.map(resultJson)));
    report(records, apiKey);
}
function report(records, apiKey) {
    for (const record of records)
        annotate(record, records.length > 1);
    const markdown = records.length === 1 ? summaryMarkdown(records[0], process.env) : fleetSummaryMarkdown(records, process.env);
    appendSummary(redact(markdown, apiKey));
    const failures = records.filter((record) => record.failure);
    if (records.length === 1 && failures.length === 1)
        return setFailed(redact(failures[0].failure, apiKey));
    if (failures.length > 0) {
        const lines = failures.map((record) => `${record.agentId}: ${record.failure}`);
        setFailed(redact(`${failures.length} of ${records.length} agents failed. ${lines.join('; ')}`, apiKey));
    }
}
/** A failed test case becomes an error annotation; a run that could not finish, a warning. */
function annotate(record, namedAgent) {
    const agent = namedAgent ? `${record.agentId}: ` : '';
    for (const run of record.reports) {
        for (const entry of run.failedCases.slice(0, 10)) {
            error(`${agent}Test case ${entry.testCaseId} ${entry.status}`, `${agent}Test run ${run.id}: ${entry.testCaseId}`);
        }
        if (run.state === 'timed-out' || run.state === 'unreadable') {
            warning(`${agent}Test run ${run.id} ${run.note ?? run.state}`, `${agent}Test run ${run.id}`);
        }
    }
}
/** The key is masked by the runner; this also keeps it out where no runner masks (local runs, echoed errors). */
function redact(text, apiKey) {
    return apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
}
function logFor(apiKey, prefix) {
    return {
        info: (message) => info(redact(prefix + message, apiKey)),
        warning: (message) => warning(redact(prefix + message, apiKey)),
        debug: (message) => debug(redact(prefix + message, apiKey))
    };
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 9783:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ getProxyUrl)
/* harmony export */ });
/* unused harmony export checkBypass */
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(9407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
