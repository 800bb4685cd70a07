/**
 * Room `config/`: stack settings. Reads a stack's raw config (from the running program or a stack file) and
 * turns it into one typed, validated `StackSettings`, reporting every problem in one run before anything is
 * created. Imports `common/`, `sql/`, `sink/` and `doctor/` only.
 */
export * from "./errors";
export { loadStackSettings } from "./load";
export * from "./parse";
export * from "./patterns";
export type { RawConfig } from "./reader";
export * from "./settings";
export * from "./stackFile";
export * from "./stackChoice";
export * from "./labDefaults";
export * from "./stackWarnings";
export * from "./types";
export * from "./awsProviderSettings";
export * from "./awsProviderFields";
export * from "./files";
export * from "./regions";
export { OWN_TAG_KEYS, S3_OBJECT_TAG_LIMIT } from "./sections/awsProvider";
export { FIRST_CLASS_KEYS } from "./sections/connector";
export { findingWarning } from "./sections/connectorConfiguration";
export { sinkNamed, sinkSetsPrefix } from "./sections/sinks";
export { unverifiable, Unverifiable } from "./sections/verification";
