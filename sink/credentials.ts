/**
 * Which connector settings carry credentials. The doctor refuses them in a configuration; messages never
 * show their values.
 */
import { NOT_A_SECRET_NAME, SECRET_NAME_PATTERN } from "../common";

/** The S3 sink's own settings that carry credentials; MSK Connect's execution role is the way to grant access. */
export const CREDENTIAL_KEYS = ["aws.access.key.id", "aws.secret.access.key", "s3.proxy.password", "s3.sse.customer.key"];

/** A setting that carries a credential: one of the sink's own, or one named like a secret (not a class name). */
export function isCredentialKey(key: string): boolean {
    return CREDENTIAL_KEYS.includes(key) || (SECRET_NAME_PATTERN.test(key) && !NOT_A_SECRET_NAME.test(key));
}

/** A setting whose value a message must not show: a credential, or a JAAS config (it may embed a password). */
export function isHiddenKey(key: string): boolean {
    return isCredentialKey(key) || /jaas/i.test(key);
}
