import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseStackFile, readStackFile } from "../../config";
import { formatPlan, Plan, renderPlan } from "../../offline";
import { parseConnectorArgs } from "../../scripts/connector";
import { tempDir } from "../setup";

const ROOT = path.resolve(__dirname, "..", "..");

/** The stack file in a README's "Several sinks" section: its one yaml block. */
function severalSinksFile(readme: string, heading: string): string {
    const text = fs.readFileSync(path.join(ROOT, readme), "utf8");
    const start = text.indexOf(heading);
    const section = text.slice(start, text.indexOf("\n### ", start + heading.length));
    const block = /```yaml\n([\s\S]*?)```/.exec(section);
    assert.ok(start >= 0 && block, `${readme}: no yaml block under ${heading}`);
    return block[1];
}

describe("the README's several-sinks stack file", () => {
    let plan: Plan;
    let text: string;
    before(async () => {
        const english = severalSinksFile("README.md", "### Several sinks");
        assert.deepStrictEqual(
            yaml.load(severalSinksFile("README.ko.md", "### 여러 싱크")),
            yaml.load(english),
            "the Korean README's stack file differs",
        );
        const dir = tempDir("several-sinks");
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.sales.yaml"), english);
        const file = readStackFile(dir, "sales");
        plan = await renderPlan(parseStackFile(file, dir), { ...file.raw }, [...file.secretKeys]);
        text = formatPlan(plan);
    });

    it("plans as written: one custom plugin, three connectors, only the placeholder digest to warn about, no policy finding", () => {
        assert.deepStrictEqual(plan.sinks, ["customers", "orders", "products"]);
        // Sorted: resources register as their inputs resolve, not in the order the program makes them.
        const of = (type: string) =>
            plan.resources
                .filter((r) => r.type === type)
                .map((r) => [r.name, r.sink])
                .sort();
        assert.deepStrictEqual(of("aws:mskconnect/customPlugin:CustomPlugin"), [["connector-plugin-custom-plugin", undefined]]);
        assert.deepStrictEqual(of("aws:mskconnect/connector:Connector"), [
            ["s3-sink-customers-connector", "customers"],
            ["s3-sink-orders-connector", "orders"],
            ["s3-sink-products-connector", "products"],
        ]);
        assert.deepStrictEqual(
            plan.warnings.map((w) => w.rule),
            ["placeholder-digest"],
        );
        assert.deepStrictEqual(plan.policy, []);
        assert.deepStrictEqual(Object.keys(plan.outputs.sinks as object), ["customers", "orders", "products"]);
    });

    it("lists what the sinks share, then each sink's resources under its name", () => {
        const headings = text.split("\n").filter((l) => /^ {2}(shared by every sink|sink [a-z-]+):$/.test(l));
        assert.deepStrictEqual(headings.slice(0, 4), [
            "  shared by every sink:",
            "  sink customers:",
            "  sink orders:",
            "  sink products:",
        ]);
        assert.match(text, /\+ aws:iam\/role:Role {2}s3-sink-orders-execution-role/);
    });
});

describe("npm run connector --sink", () => {
    it("takes the named sink's connector from the stack, and refuses a sink the stack does not have or one without --stack", () => {
        const a = parseConnectorArgs(["status", "--stack", "dev", "--sink", "default"], {});
        assert.strictEqual(a.connector, "confluentinc-kafka-connect-s3");
        assert.strictEqual(a.commandTarget, "--stack dev --sink default");
        assert.throws(
            () => parseConnectorArgs(["status", "--stack", "dev", "--sink", "orders"], {}),
            /--stack dev: stack "dev" has no sink "orders"; its sinks: default/,
        );
        assert.throws(
            () => parseConnectorArgs(["status", "--connector", "x", "--sink", "orders"], {}),
            /--sink names a sink of the stack: give it with --stack NAME/,
        );
    });
});
