/**
 * Room `sink/`: what the Confluent S3 sink is, as plain data: the lab's connector configuration block and
 * how the sink names what it writes (prefixes and object keys). Pure functions; imports only `common/`.
 */
export * from "./labConfiguration";
export * from "./naming";
export * from "./credentials";
