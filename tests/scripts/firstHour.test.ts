/**
 * What a new user runs in their first hour, run as they run it (the CLIs as processes, output as they see
 * it): a gzip sink found without a flag, skipped keys named with the reason, and the rest of what tripped a
 * first user up.
 */
import * as assert from "assert";
import * as child_process from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as yaml from "js-yaml";
import { inheritedLabDefaults, readStackFile } from "../../config";
import { sinkObjectBody } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { isSupportedNode } from "../../scripts/nodeSupport";
import { makeClient } from "../../verification";
import { LocalS3, ROOT, settingsFrom, startMoto } from "../helpers";
import { tempDir } from "../setup";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const TOPIC = "orders";
const PREFIX = `topics/${TOPIC}/partition=0/`;

interface Ran {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** `npm run verify -- <args>` as package.json runs it (tsx scripts/verify.ts), stdout and stderr on pipes. */
function verify(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    return new Promise((resolve) => {
        child_process.execFile(
            TSX,
            [path.join(ROOT, "scripts", "verify.ts"), ...args],
            { cwd: ROOT, encoding: "utf8", timeout: 60000, env: { ...process.env, ...env } },
            (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
    });
}

describe("a new user's first hour: npm run verify", function () {
    this.timeout(60000);
    let server: LocalS3;
    const where = (bucket: string) => ["--bucket", bucket, "--prefix", PREFIX, "--endpoint", server.endpoint, "--region", "us-east-1"];

    before(async () => {
        server = await startMoto();
        const client = makeClient("us-east-1", server.endpoint);
        const put = (Bucket: string, Key: string, Body: Buffer | string) => client.send(new PutObjectCommand({ Bucket, Key, Body }));
        for (const bucket of ["gzip-sink", "plain-sink"]) await client.send(new CreateBucketCommand({ Bucket: bucket }));
        await put("gzip-sink", sinkObjectKey(TOPIC, 0, 0, true), sinkObjectBody(1, 200, true));
        await put("plain-sink", sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 200));
    });
    after(async () => {
        await server?.stop();
    });

    it("finds a gzip sink's .json.gz objects without --gzip, as their names say", async () => {
        const r = await verify([...where("gzip-sink")]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^verified: s3:\/\/gzip-sink\/topics\/orders\/partition=0\/orders\+0\+0000000000\.json\.gz /);
        assert.strictEqual(r.stderr, "");
        // S3 Select answered; GetObject read the start of the object only to check its lines, and the result says so.
        assert.match(r.stdout, /\n {2}method: {2}S3 Select\n/);
        assert.match(
            r.stdout,
            /\n {2}bytes: {3}\d+ scanned by S3 Select; \d+ read with GetObject to check the JSON Lines itself \(S3 Select servers may skip a bad line silently\)\n/,
        );
    });

    it("still insists on .json.gz with --gzip, and says at once on a pipe which key it skips and why, then names it in the time-out", async () => {
        const r = await verify([...where("plain-sink"), "--gzip", "--timeout", "1", "--poll", "1"]);
        assert.strictEqual(r.status, 1, r.stderr);
        const lines = r.stderr.trim().split("\n");
        assert.strictEqual(lines.length, 2, r.stderr);
        assert.match(
            lines[0],
            /^verify: note: under s3:\/\/plain-sink\/topics\/orders\/partition=0\/, no <topic>\+<partition>\+<offset>\.json\.gz object yet; 1 other key\(s\) there are not sink objects, e\.g\. topics\/orders\/partition=0\/orders\+0\+0000000000\.json \(a \.json object, but the sink is configured to write \.json\.gz/,
        );
        assert.match(
            lines[1],
            /^not verified \(timeout\): .*e\.g\. topics\/orders\/partition=0\/orders\+0\+0000000000\.json \(a \.json object/,
        );
    });
});

/** The hand-written stack file in a README's "Adding a stack" section: its one yaml block. */
function readmeStackFile(readme: string): string {
    const text = fs.readFileSync(path.join(ROOT, readme), "utf8");
    const section = text.slice(text.indexOf("### "), text.indexOf("### ", text.indexOf("### ") + 4));
    const block = /```yaml\n([\s\S]*?)```/.exec(section);
    assert.ok(block, `${readme}: no yaml block in its first ### section`);
    return block[1];
}

const DEV = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");

/** A project folder of its own (Pulumi.yaml and the given stack files), as a user's clone would hold them. */
function project(stacks: Record<string, string>): string {
    const dir = tempDir("project");
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
    return dir;
}

/** The dev stack file with one line replaced (a key's value). */
function devWith(key: string, value: string): string {
    const line = new RegExp(`^  ${key}: .*$`, "m");
    assert.match(DEV, line);
    return DEV.replace(line, `  ${key}: ${value}`);
}

/** `npm run plan -- <args>` as package.json runs it, in a project folder, with its own Pulumi home and no PULUMI_STACK unless given. */
function plan(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    const base: NodeJS.ProcessEnv = { ...process.env, PULUMI_HOME: path.join(dir, ".pulumi-home") };
    delete base.PULUMI_STACK;
    return new Promise((resolve) => {
        child_process.execFile(
            process.execPath,
            [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts"), ...args],
            { cwd: dir, encoding: "utf8", timeout: 60000, env: { ...base, ...env } },
            (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
    });
}

/** What `pulumi stack select <stack>` leaves for a project: ~/.pulumi/workspaces/<name>-<sha1 of Pulumi.yaml's path>-workspace.json. */
function selectStack(dir: string, stack: string): void {
    const digest = crypto.createHash("sha1").update(path.join(dir, "Pulumi.yaml")).digest("hex");
    const workspaces = path.join(dir, ".pulumi-home", "workspaces");
    fs.mkdirSync(workspaces, { recursive: true });
    fs.writeFileSync(path.join(workspaces, `msk-s3-sink-${digest}-workspace.json`), JSON.stringify({ stack }));
}

const rules = (r: Ran) => (JSON.parse(r.stdout) as { warnings: { rule: string }[] }).warnings.map((w) => w.rule);

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
    return new Promise((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** A command run on a terminal of its own (util-linux `script` gives it a pty), as a person runs it: what the terminal shows. */
function onTerminal(command: string[], env: NodeJS.ProcessEnv): string {
    const res = child_process.spawnSync("script", ["-qec", command.join(" "), "/dev/null"], {
        cwd: ROOT,
        encoding: "utf8",
        env,
        timeout: 60000,
    });
    return res.stdout;
}

describe("a new user's first hour: the Node.js version", function () {
    this.timeout(60000);

    it("says once, on a terminal, which Node.js versions are supported, instead of the AWS SDK's warning on every verify run", async function () {
        if (child_process.spawnSync("script", ["--version"]).status !== 0) this.skip();
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            XDG_CACHE_HOME: tempDir("cache"),
            AWS_ACCESS_KEY_ID: "local-only-placeholder",
            AWS_SECRET_ACCESS_KEY: "local-only-placeholder",
        };
        delete env.AWS_PROFILE;
        delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
        const endpoint = `http://127.0.0.1:${await closedPort()}`;
        const command = [
            TSX,
            path.join(ROOT, "scripts", "verify.ts"),
            "--bucket",
            "b",
            "--prefix",
            "p/",
            "--endpoint",
            endpoint,
            "--timeout",
            "1",
        ];
        const first = onTerminal(command, env);
        const second = onTerminal(command, env);
        assert.match(first, /not verified \(unreachable\)/, first);
        for (const shown of [first, second]) assert.doesNotMatch(shown, /NodeVersionSupportWarning/);
        const notes = (shown: string) => shown.split("\n").filter((l) => l.includes("is not one this project supports")).length;
        assert.strictEqual(notes(first), isSupportedNode(process.version) ? 0 : 1, first);
        assert.strictEqual(notes(second), 0, second);
    });
});

describe("a new user's first hour: npm ci", function () {
    this.timeout(60000);

    it("leaves no install script unreviewed, so npm ci ends without install-scripts lines (package.json's allowScripts)", function () {
        const r = child_process.spawnSync("npm", ["install-scripts", "ls"], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
        if (r.status !== 0 && /Unknown command/i.test(r.stderr + r.stdout)) this.skip(); // npm before 11.19 runs them and says nothing
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.stdout.trim(), "No packages with unreviewed install scripts.", r.stdout);
    });
});

describe("a new user's first hour: npm run plan", function () {
    this.timeout(60000);

    it("plans the README's hand-written Pulumi.prod.yaml as written, picked without --stack as the only stack file besides dev", async () => {
        const english = readmeStackFile("README.md");
        assert.deepStrictEqual(yaml.load(readmeStackFile("README.ko.md")), yaml.load(english), "the Korean README's stack file differs");
        const dir = project({ dev: DEV, prod: english });
        const r = await plan(dir, []);
        assert.strictEqual(r.status, 0, r.stderr);
        const first = r.stdout.split("\n")[0];
        assert.match(
            first,
            /^Plan for stack "prod" \(the only stack file besides dev; --stack dev for the lab's\), region eu-west-1, account 444455556666:/,
        );
        assert.doesNotMatch(r.stdout, /Left at the lab's names/, "the example stack inherits none of the lab's names");
        assert.match(r.stdout, /Warnings \(1\):\n {2}! warning \[placeholder-digest\]/);
        assert.match(r.stdout, /\+ aws:iam\/role:Role/);
        assert.match(r.stdout, /\+ aws:cloudwatch\/logGroup:LogGroup/);
    });

    it("plans the stack PULUMI_STACK names or pulumi stack select chose, refuses to guess among several, and names the lab's names a new stack inherits", async () => {
        const minimal = [
            "config:",
            "  pulumi:disable-default-providers: [aws]",
            "  aws:region: eu-west-1",
            '  aws:allowedAccountIds: ["444455556666"]',
            '  msk-s3-sink:accountId: "444455556666"',
            `  msk-s3-sink:pluginSha256: "${"0".repeat(64)}"`,
            "  msk-s3-sink:mskClusterName: orders-msk",
        ].join("\n");
        const dir = project({
            dev: DEV,
            prod: readmeStackFile("README.md"),
            staging: minimal,
            broken: devWith("msk-s3-sink:flushSize", "0"),
        });
        const [several, fromEnv] = await Promise.all([plan(dir, []), plan(dir, [], { PULUMI_STACK: "acme/msk-s3-sink/staging" })]);
        assert.strictEqual(several.status, 2, several.stderr);
        assert.match(several.stderr, /^plan: several stacks here \(broken, dev, prod, staging\) and none selected: give --stack NAME/);

        assert.strictEqual(fromEnv.status, 0, fromEnv.stderr);
        assert.match(fromEnv.stdout, /^Plan for stack "staging" \(from PULUMI_STACK\), region eu-west-1/);
        const section = fromEnv.stdout.split("\n\n").find((p) => p.startsWith("Left at the lab's names"));
        assert.deepStrictEqual(section?.split("\n"), [
            "Left at the lab's names (7; not set in Pulumi.staging.yaml: right for the lab, most likely not for this stack):",
            "  ~ msk-s3-sink:connectorName = confluentinc-kafka-connect-s3",
            "  ~ msk-s3-sink:topics = salesdb.salesdb.CUSTOMER",
            "  ~ msk-s3-sink:workerConfigurationName = SourceAuroraDebeziumConnectorConfig",
            "  ~ msk-s3-sink:executionRoleNamePrefix = mskconnectlab-S3ConnectorIAMRole-",
            "  ~ msk-s3-sink:logGroupName = /msk-lab-target-s3sink-connector",
            "  ~ msk-s3-sink:pluginsBucket = msk-lab-444455556666-plugins-bucket",
            "  ~ msk-s3-sink:targetBucket = msk-lab-444455556666-target-bucket",
        ]);
        const dev = readStackFile(ROOT, "dev");
        assert.deepStrictEqual(inheritedLabDefaults(settingsFrom(dev.raw), dev.raw), [], "the lab's own stack inherits nothing");

        // A failing run lists the warnings a passing dev run lists (npm run plan's own test: placeholder-digest, tombstones-fail-task).
        selectStack(dir, "organization/broken");
        const [text, json] = await Promise.all([plan(dir, []), plan(dir, ["--json"])]);
        assert.strictEqual(text.status, 1, text.stderr);
        assert.match(text.stderr, /^Plan for stack "broken" \(selected with pulumi stack select\):\n/);
        assert.match(text.stderr, /msk-s3-sink:flushSize = "?0"?: /);
        assert.match(
            text.stderr,
            /Warnings found in the same run:\n {2}- warning \[placeholder-digest\] msk-s3-sink:pluginSha256: .*\n {2}- warning \[tombstones-fail-task\] /,
        );
        assert.strictEqual(json.status, 1, json.stderr);
        assert.strictEqual(JSON.parse(json.stdout).stackChosenBy, "selected with pulumi stack select");
        assert.deepStrictEqual(rules(json), ["placeholder-digest", "tombstones-fail-task"]);
    });

    it("warns about no topic the user never set when topics is a problem ([] or a list with an empty name)", async () => {
        const dir = project({ empty: devWith("msk-s3-sink:topics", "[]"), blank: devWith("msk-s3-sink:topics", '["", orders]') });
        const [emptyJson, blank] = await Promise.all([plan(dir, ["--stack", "empty", "--json"]), plan(dir, ["--stack", "blank"])]);
        assert.strictEqual(emptyJson.status, 1, emptyJson.stderr);
        const out = JSON.parse(emptyJson.stdout) as { problems: { key: string }[] };
        assert.deepStrictEqual(
            out.problems.map((p) => p.key),
            ["msk-s3-sink:topics"],
        );
        assert.deepStrictEqual(rules(emptyJson), ["placeholder-digest"], "no tombstones-fail-task about the default topic");
        assert.strictEqual(blank.status, 1, blank.stderr);
        assert.match(blank.stderr, /msk-s3-sink:topics = \["","orders"\]: expected one or more Kafka topic names.*not valid: ""/);
        assert.doesNotMatch(blank.stderr, /salesdb|tombstones-fail-task/);
    });

    it("warns about no default topic when topics is set under a misspelt namespace (msk-s3-sinks:topics)", async () => {
        const file = DEV.split("\n")
            .filter((l) => !/^  msk-s3-sink:topics:/.test(l) && !/^    - salesdb/.test(l))
            .concat("  msk-s3-sinks:topics: [orders]")
            .join("\n");
        const r = await plan(project({ wrongns: file }), ["--stack", "wrongns", "--json"]);
        assert.strictEqual(r.status, 1, r.stderr);
        const out = JSON.parse(r.stdout) as { problems: { key: string; message: string }[] };
        assert.deepStrictEqual(
            out.problems.map((p) => p.key),
            ["msk-s3-sinks:topics"],
        );
        assert.match(out.problems[0].message, /the namespace "msk-s3-sinks" is not "msk-s3-sink".*Did you mean "msk-s3-sink:topics"\?/);
        assert.deepStrictEqual(
            rules(r),
            ["placeholder-digest"],
            "no tombstones-fail-task about the default topic salesdb.salesdb.CUSTOMER",
        );
    });

    it("lists problems in file order, a null as null, the lower-case bucket and the KMS ARN to write, and tasksMax's real range", async () => {
        const lines = DEV.split("\n").filter((l) => !/^  msk-s3-sink:(topics|tasksMax):/.test(l));
        const file = [
            ...lines.filter((l) => l.trim() !== ""),
            "  msk-s3-sink:kmsKeyArn: alias/sink-key",
            "  msk-s3-sink:targetBucket: My-Sink-Bucket",
            "  msk-s3-sink:tasksMax: 5000",
            "  msk-s3-sink:topics: null",
        ].join("\n");
        const r = await plan(project({ small: file }), ["--stack", "small"]);
        assert.strictEqual(r.status, 1, r.stderr);
        const problems = r.stderr.split("\n").filter((l) => l.startsWith("  - msk-s3-sink:"));
        assert.deepStrictEqual(
            problems.map((l) => /^ {2}- ([\w:-]+)/.exec(l)![1]),
            ["msk-s3-sink:kmsKeyArn", "msk-s3-sink:targetBucket", "msk-s3-sink:tasksMax", "msk-s3-sink:topics"],
            "the problems in the order the file writes their keys",
        );
        assert.match(
            problems[0],
            /= "alias\/sink-key": expected a key ARN or an alias ARN, not an alias name .*Fix: `pulumi config set msk-s3-sink:kmsKeyArn arn:aws:kms:us-east-2:111122223333:alias\/sink-key` \(the alias ARN: the plan resolves it to its key\)/,
        );
        assert.match(problems[1], /= "My-Sink-Bucket": .*Did you mean "my-sink-bucket"\? \(S3 bucket names are lower case\.\)/);
        assert.match(problems[2], /= "5000": expected a whole number from 1 to 1000/);
        assert.match(problems[3], /^ {2}- msk-s3-sink:topics = null: is empty\..*written with no value/);
        const row = fs
            .readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8")
            .split("\n")
            .find((l) => l.startsWith("| `msk-s3-sink:tasksMax` |"));
        assert.match(row ?? "", /^\| `msk-s3-sink:tasksMax` \| integer 1-1000 \|/, "the settings table gives the range the plan enforces");
    });

    it("answers an unknown flag with the one meant, and --help with every flag on a line of its own", async () => {
        const dir = project({ dev: devWith("msk-s3-sink:flushSize", "0") });
        const [typo, help, devAlone, bare] = await Promise.all([
            plan(dir, ["--jsn"]),
            plan(dir, ["--help"]),
            plan(dir, []),
            plan(dir, ["prod"]),
        ]);
        assert.strictEqual(bare.status, 2);
        assert.match(bare.stderr, /^plan: unexpected argument "prod"; to plan that stack, give --stack prod\n/);
        assert.match(devAlone.stderr, /^Plan for stack "dev" \(the lab's stack, the only stack file here\):\n/, "a fresh clone plans dev");
        assert.strictEqual(typo.status, 2);
        assert.match(typo.stderr, /^plan: unknown flag --jsn; did you mean --json\?\n/);
        assert.strictEqual(help.status, 0, help.stderr);
        for (const flag of ["stack", "json", "strict", "help"]) {
            const lines = help.stdout.split("\n").filter((l) => new RegExp(`^ {2}(-\\w, | {4})--${flag}\\b`).test(l));
            assert.strictEqual(lines.length, 1, `--help: --${flag} on one line of its own:\n${help.stdout}`);
        }
    });
});
