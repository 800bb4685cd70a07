/**
 * Room `doctor/`: the connector-configuration rules and the worker-configuration check, as pure functions
 * that return findings (errors stop a deploy; warnings can be silenced by rule name). Imports `common/` and
 * `sink/` only.
 */
export * from "./connectorRules";
export * from "./findings";
export { closestKnownKey, KAFKA_BUILTIN_CONFIG_PROVIDERS, looksLikeCdcTopic } from "./knownKeys";
export * from "./workerProperties";
