import * as assert from "assert";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as yaml from "js-yaml";
import { makeClient } from "../../verification";
import { sinkObjectBody } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { LocalS3, ROOT, startMoto } from "../helpers";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const res = child_process.spawnSync(TSX, [path.join(ROOT, "scripts", script), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...env },
        timeout: 60000,
    });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A throwaway stack file beside Pulumi.dev.yaml, removed after the test. */
function withStack(name: string, config: Record<string, unknown>, fn: () => void): void {
    const file = path.join(ROOT, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, yaml.dump({ config }));
    try {
        fn();
    } finally {
        fs.rmSync(file, { force: true });
    }
}

function devConfig(): Record<string, unknown> {
    return (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
}

describe("npm run plan", function () {
    this.timeout(60000);

    it("prints the dev stack's lookups, resources, warnings and outputs, and exits 0", () => {
        const r = run("plan.ts", []);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Plan for stack "dev" \(region us-east-2, account 111122223333\)/);
        assert.match(
            r.stdout,
            /Connector zip: download https:\/\/d2p6pa21dvn84\.cloudfront\.net\/.*confluentinc-kafka-connect-s3-10\.5\.15\.zip to .*\.artifacts\/confluentinc-kafka-connect-s3-10\.5\.15\.zip at `pulumi up`; uploaded only if its SHA-256 is 0{64}\./,
        );
        assert.match(r.stdout, /\? aws:msk\/getCluster:getCluster {2}\{"clusterName":"MSKCluster-mskconnectlab"\}/);
        assert.match(r.stdout, /\+ aws:mskconnect\/connector:Connector {2}s3-sink-connector/);
        assert.match(r.stdout, /\+ aws:mskconnect\/customPlugin:CustomPlugin {2}connector-plugin-custom-plugin/);
        assert.match(r.stdout, /"source": "\(known after up\)"/);
        assert.match(r.stdout, /! warning \[tombstones-fail-task\]/);
        assert.match(r.stdout, /Policy findings \(0\): every rule passes/);
        assert.match(r.stdout, /sinkPrefix: s3:\/\/msk-lab-111122223333-target-bucket\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\//);
    });

    it("prints the same as JSON with --json", () => {
        const r = run("plan.ts", ["--stack", "dev", "--json"]);
        assert.strictEqual(r.status, 0, r.stderr);
        const plan = JSON.parse(r.stdout);
        const connector = plan.resources.find((x: { type: string }) => x.type === "aws:mskconnect/connector:Connector");
        assert.strictEqual(connector.inputs.connectorConfiguration["s3.bucket.name"], "msk-lab-111122223333-target-bucket");
        assert.deepStrictEqual(connector.inputs.kafkaClusterClientAuthentication, { authenticationType: "IAM" });
        assert.strictEqual(plan.lookups.length, 6);
        assert.deepStrictEqual(plan.policy, []);
    });

    it("fails with every config problem and no resources when a stack is bad", () => {
        withStack(
            "badtest",
            {
                ...devConfig(),
                "msk-s3-sink:flushSize": 0,
                "msk-s3-sink:extraConnectorConfig": { "s3.part.size": "1024", "aws.secret.access.key": "x", "flush.sise": "1" },
            },
            () => {
                const r = run("plan.ts", ["--stack", "badtest"]);
                assert.strictEqual(r.status, 1);
                assert.strictEqual(r.stdout, "");
                assert.match(r.stderr, /Stack "badtest" has 3 configuration problems; nothing was created:/);
                assert.match(r.stderr, /- msk-s3-sink:flushSize = "0": expected a whole number from 1/);
                assert.match(r.stderr, /s3\.part\.size/);
                assert.match(r.stderr, /aws\.secret\.access\.key/);
                assert.match(r.stderr, /flush\.sise.*Did you mean `flush\.size`/);
            },
        );
    });

    it("fails on a key without a namespace, as the Pulumi CLI does", () => {
        withStack("nsless", { ...devConfig(), flushSize: 10 }, () => {
            const r = run("plan.ts", ["--stack", "nsless"]);
            assert.strictEqual(r.status, 1);
            assert.match(r.stderr, /config key "flushSize" has no namespace.*"msk-s3-sink:flushSize"/);
        });
    });

    it("names the stacks it knows when the stack has no file, and rejects unknown arguments with exit 2", () => {
        const r = run("plan.ts", ["--stack", "prod"]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /no settings file Pulumi\.prod\.yaml for stack "prod"; stacks here: dev/);
        assert.strictEqual(run("plan.ts", ["--verbose"]).status, 2);
    });
});

describe("npm run verify", function () {
    this.timeout(60000);
    let server: LocalS3;
    before(async () => {
        server = await startMoto();
        const client = makeClient("us-east-1", server.endpoint);
        await client.send(new CreateBucketCommand({ Bucket: "cli-bucket" }));
        await client.send(
            new PutObjectCommand({
                Bucket: "cli-bucket",
                Key: sinkObjectKey("salesdb.salesdb.CUSTOMER", 0, 0),
                Body: sinkObjectBody(1, 200),
            }),
        );
    });
    after(async () => server?.stop());

    it("exits 0 and prints the result when the data landed", () => {
        const r = run("verify.ts", [
            "--bucket",
            "cli-bucket",
            "--prefix",
            "topics/salesdb.salesdb.CUSTOMER/partition=0/",
            "--endpoint",
            server.endpoint,
            "--json",
        ]);
        assert.strictEqual(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.strictEqual(out.verified, true);
        assert.strictEqual(out.recordsReturned, 5);
        assert.strictEqual(out.method, "select");
    });

    it("exits 1 with the reason when nothing is under the prefix", () => {
        const r = run("verify.ts", [
            "--bucket",
            "cli-bucket",
            "--prefix",
            "topics/none/partition=0/",
            "--endpoint",
            server.endpoint,
            "--timeout",
            "1",
            "--poll",
            "1",
        ]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /not verified \(timeout\): no object under s3:\/\/cli-bucket\/topics\/none\/partition=0\/ after 1 s/);
    });

    it("takes bucket, prefix and region from a stack", () => {
        withStack(
            "verifytest",
            {
                ...devConfig(),
                "msk-s3-sink:targetBucket": "cli-bucket",
                "aws:region": "us-east-1",
                "msk-s3-sink:verifyEndpoint": server.endpoint,
            },
            () => {
                const r = run("verify.ts", ["--stack", "verifytest", "--json"]);
                assert.strictEqual(r.status, 0, r.stderr);
                assert.strictEqual(
                    JSON.parse(r.stdout).objectKey,
                    "topics/salesdb.salesdb.CUSTOMER/partition=0/salesdb.salesdb.CUSTOMER+0+0000000000.json",
                );
            },
        );
    });

    it("exits 2 on bad arguments", () => {
        assert.strictEqual(run("verify.ts", ["--bucket", "b"]).status, 2);
        assert.strictEqual(run("verify.ts", ["--bucket", "b", "--prefix", "p", "--method", "athena"]).status, 2);
        assert.strictEqual(run("verify.ts", ["--bucket", "b", "--prefix", "p", "--timeout", "soon"]).status, 2);
        const r = run("verify.ts", ["--stack", "nosuchstack"]);
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, /no settings file Pulumi\.nosuchstack\.yaml/);
    });
});

describe("project files", () => {
    it("Pulumi.yaml names the project and the Node.js TypeScript runtime, with only keys the CLI's schema knows", () => {
        const doc = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        // A copy of the CLI's project schema (../shared/schemas/), kept here so a lone clone can run the tests.
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "fixtures", "pulumi-project.schema.json"), "utf8"));
        for (const key of schema.required) assert.ok(key in doc, `Pulumi.yaml lacks ${key}`);
        for (const key of Object.keys(doc)) assert.ok(key in schema.properties, `Pulumi.yaml has ${key}, which the schema does not define`);
        assert.strictEqual(doc.name, "msk-s3-sink");
        assert.deepStrictEqual(doc.runtime, { name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
    });

    it("Pulumi.dev.yaml holds only namespaced keys and the lab's values", () => {
        const config = devConfig();
        for (const key of Object.keys(config)) assert.match(key, /^(aws|msk-s3-sink):[A-Za-z0-9]+$|^pulumi:disable-default-providers$/);
        assert.deepStrictEqual(config["pulumi:disable-default-providers"], ["aws"], "no AWS resource may use a default provider");
        assert.strictEqual(config["msk-s3-sink:accountId"], "111122223333");
    });
});
