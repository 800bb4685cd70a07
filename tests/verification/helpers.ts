/** Helpers for the verification suites: verdict assertions and sink objects to put on the local servers. */
import * as assert from "assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { VerificationError } from "../../verification";

export const TOPIC = "salesdb.salesdb.CUSTOMER";
export const PREFIX = `topics/${TOPIC}/partition=0/`;

/** Assert the promise rejects with a VerificationError of this kind whose message matches. */
export async function rejects(p: Promise<unknown>, kind: string, message: RegExp): Promise<VerificationError> {
    let caught: VerificationError | undefined;
    await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof VerificationError, `expected a VerificationError, got ${(e as Error)?.stack ?? e}`);
        assert.strictEqual(e.kind, kind, e.message);
        assert.match(e.message, message);
        caught = e;
        return true;
    });
    return caught!;
}

/** Create a bucket holding the given objects (key to body). */
export async function bucketWith(client: S3Client, bucket: string, objects: Record<string, Buffer | string>): Promise<void> {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [key, body] of Object.entries(objects))
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
}

/** Let pending callbacks and error events run, so one emitted without a listener would fail the test. */
export function settleEvents(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 100));
}

/** No lone surrogate: the text encodes to UTF-8 and back unchanged. */
export function wellFormed(text: string): boolean {
    return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
