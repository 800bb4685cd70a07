import * as assert from "assert";
import * as path from "path";
import { createRequire } from "module";
import * as pulumi from "@pulumi/pulumi";
import { adoptionTagsProvider } from "../../components";
import { LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";
import { ROOT } from "../helpers";

/** The provider as the dynamic provider host revives it from its serialized text (cmd/dynamic-provider: requireFromString(text).handler()). */
async function revived(): Promise<typeof adoptionTagsProvider> {
    const fn = await pulumi.runtime.serializeFunction(() => adoptionTagsProvider);
    const mod: { exports: Record<string, () => typeof adoptionTagsProvider> } = { exports: {} };
    const hostRequire = createRequire(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"));
    new Function("module", "exports", "require", fn.text)(mod, mod.exports, hostRequire);
    return mod.exports[fn.exportName]();
}

describe("AdoptionTags: an adopted resource tagged as the stack's, against the MSK Connect stand-in (real SDK)", function () {
    this.timeout(30000);
    let api: LocalKafkaConnectApi;
    let provider: typeof adoptionTagsProvider;
    const TAGS = { "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" };

    before(async () => {
        useLocalCredentials();
        api = await startKafkaConnectApi({ region: "us-east-2" });
        provider = await revived();
    });
    after(async () => api?.stop());

    it("tags the imported connector with the stack's tags on create, keeping the tags it had", async () => {
        const arn = api.addConnector({ connectorName: "confluentinc-kafka-connect-s3", connectorConfiguration: {} });
        await provider.create!({ arn, tags: { owner: "lab" }, region: "us-east-2", endpoint: api.endpoint });
        const res = await provider.create!({ arn, tags: TAGS, region: "us-east-2", endpoint: api.endpoint });
        assert.strictEqual(res.id, `${arn}#tags`);
        assert.deepStrictEqual(api.tagsOf(arn), { owner: "lab", ...TAGS });
        assert.ok(api.calls.some((c) => c.operation === "TagResource" && c.region === "us-east-2"));
    });

    it("fails naming the resource, the call's error and the permission to grant when tagging is refused", async () => {
        const gone = "arn:aws:kafkaconnect:us-east-2:111122223333:connector/gone/5e6f7a8b-9c0d-4e1f-8a2b-000000000000-3";
        await assert.rejects(provider.create!({ arn: gone, tags: TAGS, region: "us-east-2", endpoint: api.endpoint }), (e: Error) => {
            assert.match(
                e.message,
                /^the adopted resource arn:aws:kafkaconnect:us-east-2:111122223333:connector\/gone\/\S+ was imported, but tagging it as this stack's failed \(NotFoundException: /,
            );
            assert.match(e.message, /needs kafkaconnect:TagResource on it; run `pulumi up` again/);
            return true;
        });
    });

    it("changes nothing when deleted (the tags are what makes the resource the stack's), and re-tags when the tags change", async () => {
        const arn = api.addConnector({ connectorName: "kept", connectorConfiguration: {} });
        await provider.create!({ arn, tags: TAGS, region: "us-east-2", endpoint: api.endpoint });
        const before = api.calls.length;
        await provider.delete!(`${arn}#tags`, { arn, tags: TAGS, region: "us-east-2", endpoint: api.endpoint });
        assert.strictEqual(api.calls.length, before, "no call on delete");
        const d = await provider.diff!(
            `${arn}#tags`,
            { arn, tags: TAGS, region: "us-east-2" },
            { arn, tags: { ...TAGS, team: "data" }, region: "us-east-2" },
        );
        assert.deepStrictEqual([d.changes, d.replaces], [true, []]);
        await provider.update!(
            `${arn}#tags`,
            { arn, tags: TAGS, region: "us-east-2" },
            { arn, tags: { ...TAGS, team: "data" }, region: "us-east-2", endpoint: api.endpoint },
        );
        assert.strictEqual(api.tagsOf(arn).team, "data");
    });
});
