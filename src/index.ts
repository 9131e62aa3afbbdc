// The public surface for people who embed the server in their own test runner, plus the typed
// helpers that build control values.
export { startServer, ListenError, type RunningServer } from "./server/start-server.js";
export { ConfigError, defaultConfig, type ServerConfig, type LogLevel, type LogFormat } from "./server/config.js";
export type { Region } from "./shared/region.js";
export type { MockControl } from "./control/control-fields.js";
export { controlJsonSchema } from "./control/control-schema.js";
export { mockHeader, mockHeaders, MockControlError } from "./control/mock-header.js";
export { signalMockValue, signalMockAttributes, type SignalMockInput } from "./signal/attribute/signal-attribute.js";
export { signalModes, SignalMockError, type SignalMode } from "./signal/attribute/signal-mode.js";
export { signalMockJsonSchema } from "./signal/attribute/signal-schema.js";
export type { SignalRequestKind, SignalResponseJson, SignalResponseKind } from "./signal/attribute/signal-fields.js";
export { webhookEventNames, type WebhookEventName } from "./webhooks/webhook-events.js";
export type { WebhooksConfig } from "./webhooks/webhooks-config.js";
