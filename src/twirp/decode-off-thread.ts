// Large request bodies are decoded on a worker thread, so that one slow decode never stalls the
// event loop every region shares: a 4 MiB body of 300,000 JSON keys or millions of protobuf
// fields takes hundreds of milliseconds to decode, while a small request on another port must
// still be answered at once.
//
// The worker sends back the request with only its top-level scalars (as protobuf bytes): that is
// all the rest of the pipeline reads (the echo rules, the room checks, a latency condition), and
// it is small whatever the body's shape. A stateful call, whose world keeps what it says, asks for
// the whole request instead. The worker is started on the first large body (it costs
// memory and start-up time no small request needs) and shared by every server in the process.
// It runs this very module, which is why it checks its role when loaded.
import { create, fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { stubModules } from "../../generated/mock/method-table.js";
import { createMethodRoutes } from "./method-routes.js";
import { decodeRequest, type Codec } from "./codec.js";
import { TwirpError } from "./twirp-errors.js";

/** Bodies of at least this many bytes are decoded off the event loop (a worst case takes ~10 ms). */
export const offThreadBodyBytes = 32 * 1024;

const role = "livekit-test-server:decode";

interface Job {
  readonly id: number;
  readonly key: string;
  readonly codec: Codec;
  readonly body: Uint8Array;
  /** Send the whole request back, not only its top-level scalars. */
  readonly whole: boolean;
}

type Answer = { readonly id: number; readonly scalars: Uint8Array } | { readonly id: number; readonly error: string };

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (err: Error) => void }>();

/**
 * The request decoded from `body` off the event loop: its top-level scalars (or all of it when
 * `whole`), or a `malformed` TwirpError.
 */
export async function decodeOffThread(key: string, schema: DescMessage, body: Uint8Array, codec: Codec, whole = false): Promise<Message> {
  const id = nextId++;
  // A copy of just this body: the view may share its memory with the rest of the connection's input.
  const copy = new Uint8Array(body);
  const scalars = await new Promise<Uint8Array>((resolve, reject) => {
    const running = decoder();
    // Only a decode in progress keeps the process alive; an idle decoder does not.
    if (pending.size === 0) running.ref();
    pending.set(id, { resolve, reject });
    running.postMessage({ id, key, codec, body: copy, whole } satisfies Job, [copy.buffer]);
  });
  return fromBinary(schema, scalars);
}

function decoder(): Worker {
  if (worker !== undefined) return worker;
  const started = startWorker();
  started.on("message", (answer: Answer) => {
    const job = pending.get(answer.id);
    if (job === undefined) return;
    pending.delete(answer.id);
    if (pending.size === 0) started.unref();
    if ("error" in answer) job.reject(new TwirpError("malformed", answer.error));
    else job.resolve(answer.scalars);
  });
  const fail = (reason: string): void => {
    worker = undefined;
    for (const job of pending.values()) job.reject(new Error(`the body decoder stopped: ${reason}`));
    pending.clear();
  };
  started.on("error", (err) => fail(err.message));
  started.on("exit", (code) => fail(`exit code ${code}`));
  // After the listeners: adding a message listener refs the worker again.
  started.unref();
  worker = started;
  return started;
}

function startWorker(): Worker {
  const options = { workerData: { role } };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL(import.meta.url), options);
  // Run from TypeScript sources (the test suite, under tsx): loader hooks do not reach worker
  // threads, so the worker registers tsx itself before loading this module.
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

// ---- the worker side ------------------------------------------------------------------------

function serveDecodeJobs(): void {
  const routes = createMethodRoutes(stubModules);
  parentPort!.on("message", async (job: Job) => {
    const found = routes.route(job.key)!;
    const schema = (found instanceof Promise ? await found : found).stub.method.input;
    let answer: Answer;
    try {
      const request = decodeRequest(schema, Buffer.from(job.body.buffer, job.body.byteOffset, job.body.length), job.codec);
      const scalars = job.whole ? toBinary(schema, request) : topLevelScalars(schema, request);
      answer = { id: job.id, scalars };
    } catch (err) {
      answer = { id: job.id, error: err instanceof TwirpError ? err.message : `the request could not be decoded: ${String(err)}` };
    }
    parentPort!.postMessage(answer, "scalars" in answer ? [answer.scalars.buffer as ArrayBuffer] : []);
  });
}

function topLevelScalars(schema: DescMessage, request: Message): Uint8Array {
  const thin = create(schema) as unknown as Record<string, unknown>;
  const full = request as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (field.fieldKind !== "scalar") continue;
    if (field.oneof !== undefined) {
      // A scalar oneof member travels with its case.
      const oneof = full[field.oneof.localName] as { case: unknown };
      if (oneof.case === field.localName) thin[field.oneof.localName] = oneof;
    } else if (Object.prototype.hasOwnProperty.call(full, field.localName)) {
      // An explicit-presence scalar keeps being present, even at its zero value.
      thin[field.localName] = full[field.localName];
    }
  }
  return toBinary(schema, thin as unknown as Message);
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === role) serveDecodeJobs();
