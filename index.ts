/**
 * msk-s3-sink: the Confluent S3 sink on Amazon MSK Connect, one `pulumi up` per environment.
 * Composition root: stack config in (validated before any resource), lookups checked (before any
 * resource), components wired, outputs out. The returned object's properties are the stack outputs.
 */
import { loadStackSettings } from "./config";
import { buildProgram, StackOutputs } from "./program";

export = async (): Promise<StackOutputs> => buildProgram(loadStackSettings());
