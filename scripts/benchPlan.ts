/**
 * `npm run plan` against a bare program: the dev stack's plan, started the way a user starts it, and a plain
 * Node program that registers the same resource types (the AWS provider, the plugin object, the custom
 * plugin, the connector) and one dynamic resource under Pulumi's mock runtime in preview mode, and nothing
 * else. The ratio is what the plan's own work costs (config, lookups, policy, the report, npm, the TypeScript
 * loader) over Pulumi's and the AWS package's floor; the plan is also timed without npm, to show npm's share.
 * Medians of 7 interleaved runs each, after one warm-up round.
 */
import * as child_process from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const RUNS = 7;
const TARGET = 1.5;

/** The bare program, as plain JavaScript (no TypeScript loader), run from the project root. */
const BARE = `
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
let registered = 0;
const mocks = { newResource: (a) => (registered++, { id: undefined, state: a.inputs }), call: () => ({}) };
(async () => {
    await pulumi.runtime.setMocks(mocks, "msk-s3-sink", "dev", true);
    const provider = new aws.Provider("aws-us-east-2", { region: "us-east-2" });
    const object = new aws.s3.BucketObjectv2("object", { bucket: "b", key: "k.zip", source: new pulumi.asset.StringAsset("zip") }, { provider });
    const plugin = new aws.mskconnect.CustomPlugin("plugin", { contentType: "ZIP", location: { s3: { bucketArn: "arn:aws:s3:::b", fileKey: object.key } } }, { provider });
    new aws.mskconnect.Connector("connector", {
        kafkaconnectVersion: "2.7.1",
        capacity: { provisionedCapacity: { mcuCount: 1, workerCount: 1 } },
        connectorConfiguration: { "connector.class": "io.confluent.connect.s3.S3SinkConnector" },
        kafkaCluster: { apacheKafkaCluster: { bootstrapServers: "b-1:9098", vpc: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } } },
        kafkaClusterClientAuthentication: { authenticationType: "IAM" },
        kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
        plugins: [{ customPlugin: { arn: plugin.arn, revision: plugin.latestRevision } }],
        serviceExecutionRoleArn: "arn:aws:iam::111122223333:role/r",
    }, { provider });
    new pulumi.dynamic.Resource({ async create() { return { id: "v", outs: {} }; } }, "verification", {});
    for (let i = 0; i < 1000 && registered < 5; i++) await new Promise((r) => setTimeout(r, 1));
    if (registered !== 5) throw new Error("registered " + registered + " of 5 resources");
})().catch((e) => { console.error(e); process.exit(1); });
`;

type Command = readonly [command: string, args: string[]];

function seconds([command, args]: Command): number {
    const started = process.hrtime.bigint();
    const res = child_process.spawnSync(command, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    if (res.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${res.status}): ${res.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Each command's run times, taken in interleaved rounds (a, b, c, a, b, c, …) so that a change in the
 * machine's load falls on all of them alike; the first round only warms the caches.
 */
function interleaved(commands: readonly Command[]): number[][] {
    const times: number[][] = commands.map(() => []);
    for (let round = 0; round <= RUNS; round++) {
        commands.forEach((c, i) => {
            const t = seconds(c);
            if (round > 0) times[i].push(t);
        });
    }
    return times;
}

function median(runs: readonly number[]): number {
    const sorted = [...runs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** One line: both medians and their ratio against the target. */
export async function benchPlan(): Promise<string> {
    const [plan, direct, bare] = interleaved([
        ["npm", ["run", "--silent", "plan"]],
        [process.execPath, [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts")]],
        [process.execPath, ["-e", BARE]],
    ]);
    const ratio = median(plan) / median(bare);
    const runs = (r: number[]) => r.map((t) => t.toFixed(2)).join(", ");
    return (
        `npm run plan vs a bare program (same resource types + one dynamic resource, same mocks, plain node): ` +
        `${median(plan).toFixed(2)} s vs ${median(bare).toFixed(2)} s, ${ratio.toFixed(2)}x (target <= ${TARGET}x: ${ratio <= TARGET ? "met" : "NOT met"}); ` +
        `the plan without npm's start-up ${median(direct).toFixed(2)} s, ${(median(direct) / median(bare)).toFixed(2)}x ` +
        `(medians of ${RUNS} interleaved runs: plan ${runs(plan)}; without npm ${runs(direct)}; bare ${runs(bare)})`
    );
}
