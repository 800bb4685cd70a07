import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { differingPaths, existingArn, importMismatch, MockFixtures, routingRefusal } from "../../offline";
import { resolveAll, withMocks } from "../helpers";

/**
 * The strict monitor refuses what Pulumi's engine and the AWS provider refuse; each rule here has a case the real
 * engine accepts and one it refuses, and names the source the rule was taken from.
 */
const FIXTURE: MockFixtures = { region: "us-east-2", accountId: "111122223333" };

describe("the strict monitor: routing (pulumi runtime/invoke.js getProvider, deploy/source_eval.go)", () => {
    it("fails when an invoke of one package is handed a provider of another (the AWS provider gets command:local:run)", async () => {
        await withMocks({ ...FIXTURE, onRun: () => undefined });
        const provider = new aws.Provider("aws-x", { region: "us-east-2" });
        await assert.rejects(
            command.local.run({ command: "true" }, { provider }),
            /invocation of command:local:run returned an error: the aws provider \(urn:pulumi:dev::msk-s3-sink::pulumi:providers:aws::aws-x\) received command:local:run, which is of package command: unrecognized data function \(Invoke\): command:local:run/,
        );
        // The same invoke given a provider of its own package, or none, goes through.
        const own = new command.Provider("command-x", {});
        await command.local.run({ command: "true" }, { provider: own });
        await command.local.run({ command: "true" });
    });

    it("fails when a request would use a default provider the stack disables (pulumi:disable-default-providers)", async () => {
        await withMocks({ ...FIXTURE, disabledDefaultProviders: ["aws"] });
        await assert.rejects(
            aws.s3.getBucket({ bucket: "b" }),
            /Default provider for 'aws' disabled\. 'aws:s3\/getBucket:getBucket' must use an explicit provider\./,
        );
        const bucket = new aws.s3.Bucket("b", { bucket: "b" });
        await assert.rejects(
            resolveAll(bucket.arn),
            /Default provider for 'aws' disabled\. 'urn:pulumi:dev::msk-s3-sink::aws:s3\/bucket:Bucket::b' must use/,
        );
        // "*" disables every package's default provider.
        await withMocks({ ...FIXTURE, disabledDefaultProviders: ["*"], onRun: () => undefined });
        await assert.rejects(command.local.run({ command: "true" }), /Default provider for 'command' disabled/);
    });

    it("routes by the provider reference alone: a reference of the token's package passes", () => {
        const ref = "urn:pulumi:dev::p::pulumi:providers:aws::aws-us-east-2::04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        assert.strictEqual(routingRefusal("aws:s3/getBucket:getBucket", ref, "x", []), undefined);
        assert.match(String(routingRefusal("command:local:run", ref, "x", [])), /unrecognized data function/);
    });
});

describe("the strict monitor: imports (Pulumi's import docs; pulumi-aws applies default tags in Check)", () => {
    it("fails when the inputs, with the provider's default tags, differ from what AWS holds", () => {
        const existing = { name: "n", description: "", tags: {} };
        assert.match(
            String(importMismatch({ name: "n", description: "ours" }, existing, { stack: "dev" }, [])),
            /^inputs to import do not match the existing resource: \[description tagsAll\] \(~description, ~tagsAll\.stack\)$/,
        );
    });

    it("passes when ignoreChanges covers every difference, when a value absent on one side is empty on the other, and for a set in another order", () => {
        assert.deepStrictEqual(differingPaths({ plugins: [{ a: 1 }, { a: 2 }] }, { plugins: [{ a: 2 }, { a: 1 }] }), []);
        assert.deepStrictEqual(
            differingPaths({ list: [1, 2] }, { list: [2, 1] }),
            ["list[0]", "list[1]"],
            "a list that is not a set keeps its order",
        );
        assert.strictEqual(
            importMismatch({ name: "n", description: "ours" }, { name: "n", tags: {} }, { stack: "dev" }, [
                "description",
                "tags",
                "tagsAll",
            ]),
            undefined,
        );
        assert.deepStrictEqual(differingPaths({ a: "", b: [], c: {} }, {}), []);
        assert.deepStrictEqual(differingPaths({ a: { b: [1, 2] } }, { a: { b: [1, 3] } }), ["a.b[1]"]);
    });

    it("fails when the import names a resource that does not exist", async () => {
        await withMocks(FIXTURE);
        const p = new aws.mskconnect.CustomPlugin(
            "p",
            { name: "n", contentType: "ZIP", location: { s3: { bucketArn: "arn:aws:s3:::b", fileKey: "k" } } },
            { import: existingArn("us-east-2", "111122223333", "custom-plugin", "n") },
        );
        await assert.rejects(
            resolveAll(p.arn),
            /Preview failed: resource 'arn:aws:kafkaconnect:us-east-2:111122223333:custom-plugin\/n\/[^']+' does not exist/,
        );
    });
});

describe("the strict monitor: limits and options AWS and the engine enforce", () => {
    // pulumi-aws provider/tags.go applyTags: Check merges the provider's default tags into tagsAll, and never reads
    // the resource's overrideProvider; S3 refuses an object with more than 10 tags (S3 user guide, object tagging).
    it("fails when an S3 object would carry more than 10 tags, the provider's default tags included, overrideProvider or not", async () => {
        await withMocks(FIXTURE);
        const eight = Object.fromEntries([...Array(8).keys()].map((i) => [`t${i}`, "v"]));
        const provider = new aws.Provider("aws-tagged", { region: "us-east-2", defaultTags: { tags: eight } });
        const args = { bucket: "b", key: "k", content: "x", tags: { a: "1", b: "2", c: "3" } };
        const over = new aws.s3.BucketObjectv2("over", args, { provider });
        await assert.rejects(resolveAll(over.id), /api error InvalidTag: Object tags cannot be greater than 10 \(this upload has 11/);
        const overridden = new aws.s3.BucketObjectv2(
            "overridden",
            { ...args, overrideProvider: { defaultTags: { tags: {} } } },
            { provider },
        );
        await assert.rejects(resolveAll(overridden.id), /Object tags cannot be greater than 10/);
        const ten = new aws.s3.BucketObjectv2("ten", { ...args, tags: { a: "1", b: "2" } }, { provider });
        await resolveAll(ten.id);
    });

    it("fails when the provider could not name an unnamed IAM role within 64 characters (its name, a hyphen, 7 random characters)", async () => {
        await withMocks(FIXTURE);
        const trust = JSON.stringify({ Version: "2012-10-17", Statement: [] });
        const long = new aws.iam.Role("r".repeat(57), { assumeRolePolicy: trust });
        await assert.rejects(resolveAll(long.arn), /name 'r{57}' plus 7 random chars is longer than maximum length 64/);
        await resolveAll(new aws.iam.Role("r".repeat(56), { assumeRolePolicy: trust }).arn);
        await resolveAll(new aws.iam.Role("named", { name: "x".repeat(64), assumeRolePolicy: trust }).arn);
    });

    it("fails when a resource URN is registered twice (step_generator.go generateURN)", async () => {
        await withMocks(FIXTURE);
        const first = new aws.s3.Bucket("same", { bucket: "a" });
        await resolveAll(first.arn);
        const second = new aws.s3.Bucket("same", { bucket: "b" });
        await assert.rejects(resolveAll(second.arn), /Duplicate resource URN 'urn:pulumi:dev::msk-s3-sink::aws:s3\/bucket:Bucket::same'/);
    });

    it("fails when the AWS provider reaches an account its allowedAccountIds leave out (the provider's own guard)", async () => {
        await withMocks(FIXTURE);
        const p = new aws.Provider("elsewhere", { region: "us-east-2", allowedAccountIds: ["444455556666"] });
        await assert.rejects(resolveAll(p.urn), /AWS account ID not allowed: 111122223333/);
        const ok = new aws.Provider("here", { region: "us-east-2", allowedAccountIds: ["111122223333"] });
        await resolveAll(ok.urn);
    });
});

/** A dynamic resource of any provider (the SDK's class is abstract). */
class Dynamic extends pulumi.dynamic.Resource {
    constructor(provider: pulumi.dynamic.ResourceProvider, name: string, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, {}, opts);
    }
}

describe("the strict monitor: dynamic resources (cmd/dynamic-provider/index.js)", () => {
    const good: pulumi.dynamic.ResourceProvider = {
        async create() {
            return { id: "x", outs: {} };
        },
        async update() {
            return { outs: {} };
        },
    };

    it("fails when a dynamic resource asks for customTimeouts, which the dynamic provider host never applies", async () => {
        await withMocks(FIXTURE);
        const r = new Dynamic(good, "timed", { customTimeouts: { create: "5m" } });
        await assert.rejects(resolveAll(r.urn), /customTimeouts on a dynamic resource is accepted and ignored/);
        await resolveAll(new Dynamic(good, "untimed").urn);
    });

    it("fails when a dynamic provider's own check fails, as the engine calls Check on every registration (preview too)", async () => {
        await withMocks(FIXTURE, true);
        const checked: pulumi.dynamic.ResourceProvider = {
            ...good,
            async check(_olds, news) {
                return { inputs: news, failures: news.size > 3 ? [{ property: "size", reason: "at most 3" }] : [] };
            },
        };
        class Sized extends pulumi.dynamic.Resource {
            constructor(name: string, size: number) {
                super(checked, name, { size }, {});
            }
        }
        await assert.rejects(resolveAll(new Sized("big", 5).urn), /the provider's check failed: size: at most 3/);
        await resolveAll(new Sized("small", 2).urn);
    });

    it("fails when a dynamic provider has no update (an in-place change would lose what create returned), even with a diff", async () => {
        await withMocks(FIXTURE);
        const r = new Dynamic({ create: good.create, diff: async () => ({ changes: true }) }, "no-update");
        await assert.rejects(resolveAll(r.urn), /has no update/);
    });

    it("fails when a dynamic provider's serialized text holds what looks like AWS credentials (it goes into the state)", async () => {
        await withMocks(FIXTURE);
        const key = ["AKIA", "IOSFODNN7EXAMPLE"].join("");
        const leaky: pulumi.dynamic.ResourceProvider = {
            async create() {
                return { id: key, outs: {} };
            },
            update: good.update,
        };
        await assert.rejects(resolveAll(new Dynamic(leaky, "leaky").urn), /looks like AWS credentials/);
    });
});

describe("the strict monitor: lookups answer in each data source's own words (terraform-provider-aws)", () => {
    it("fails a singular route table lookup with the provider's wording, while the plural one answers an empty list", async () => {
        await withMocks(FIXTURE);
        const provider = new aws.Provider("aws-l", { region: "us-east-2" });
        await assert.rejects(
            aws.ec2.getRouteTable({ subnetId: "subnet-unassociated" }, { provider }),
            /invocation of aws:ec2\/getRouteTable:getRouteTable returned an error: query returned no results\. Please change your search criteria and try again/,
        );
        const none = await aws.ec2.getRouteTables(
            { filters: [{ name: "association.subnet-id", values: ["subnet-unassociated"] }] },
            { provider },
        );
        assert.deepStrictEqual(none.ids, []);
        await assert.rejects(
            aws.mskconnect.getConnector({ name: "c" }, { provider }),
            /returned an error: no matching MSK Connect Connector found$/,
        );
    });
});
