/**
 * Room `components/`: the Pulumi resources the program wires, one per file (the plugin artifact, the custom
 * plugin, the connector, a hardened bucket, and the verification's dynamic resource), with their pure
 * helpers beside them (IAM documents). Components take plain typed args and never look anything up.
 */
export * from "./adoption";
export * from "./adoptionTags";
export * from "./autoRestart";
export * from "./connectorPlugin";
export * from "./connectorState";
export * from "./iamPolicies";
export * from "./pluginArtifact";
export * from "./s3SinkConnector";
export * from "./secureBucket";
export * from "./sinkVerification";
export * from "./destroyCheck";
export * from "./pluginObjectVersion";
