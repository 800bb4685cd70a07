/**
 * msk-s3-sink: the Confluent S3 sink on Amazon MSK Connect, one `pulumi up` per environment.
 * Composition root: stack config in (validated before any resource), components wired, outputs out.
 */
import { loadStackSettings } from "./config";
import { buildProgram } from "./program";

const outputs = buildProgram(loadStackSettings());

export const pluginObjectUri = outputs.pluginObjectUri;
export const pluginSha256 = outputs.pluginSha256;
export const customPluginArn = outputs.customPluginArn;
export const connectorArn = outputs.connectorArn;
export const connectorName = outputs.connectorName;
export const executionRoleArn = outputs.executionRoleArn;
export const targetBucket = outputs.targetBucket;
export const sinkPrefix = outputs.sinkPrefix;
export const logGroupName = outputs.logGroupName;
export const connectorConsoleUrl = outputs.connectorConsoleUrl;
export const logGroupConsoleUrl = outputs.logGroupConsoleUrl;
export const verification = outputs.verification;
