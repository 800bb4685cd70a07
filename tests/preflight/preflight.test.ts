import * as assert from "assert";
import { lookUpCluster, lookUpRole, pickRole, prefixRegex } from "../../preflight";
import { withMocks } from "../helpers";

const FIXTURE = { region: "us-east-2", accountId: "111122223333" };

describe("preflight lookups", () => {
    it("fails clearly when the role prefix matches no role or several", () => {
        assert.throws(() => pickRole("p-", { names: [], arns: [] }), /no IAM role's name starts with "p-".*executionRoleName/);
        assert.throws(
            () => pickRole("p-", { names: ["p-1", "p-2"], arns: ["a", "b"] }),
            /2 IAM roles start with "p-" \(p-1, p-2\); exactly one must match/,
        );
        assert.strictEqual(pickRole("p-", { names: ["p-1"], arns: ["arn1"] }), "arn1");
        assert.strictEqual(prefixRegex("a.b-"), "^a\\.b-");
    });

    it("fails when two lab roles match the prefix", async () => {
        await withMocks({ ...FIXTURE, roles: ["mskconnectlab-S3ConnectorIAMRole-A", "mskconnectlab-S3ConnectorIAMRole-B"] });
        await assert.rejects(
            lookUpRole({ mode: "lookup", namePrefix: "mskconnectlab-S3ConnectorIAMRole-" }, {}),
            /2 IAM roles start with "mskconnectlab-S3ConnectorIAMRole-"/,
        );
    });

    it("fails when the cluster has no IAM brokers", async () => {
        await withMocks({ ...FIXTURE, bootstrapBrokersSaslIam: "" });
        await assert.rejects(
            lookUpCluster("MSKCluster-mskconnectlab", {}),
            /has no IAM bootstrap brokers \(port 9098\): enable IAM access control/,
        );
    });

    it("returns the cluster's IAM brokers, client subnets and security groups", async () => {
        await withMocks(FIXTURE);
        const c = await lookUpCluster("MSKCluster-mskconnectlab", {});
        assert.match(c.bootstrapServers, /:9098(,|$)/);
        assert.deepStrictEqual(c.subnets, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]);
        assert.deepStrictEqual(c.securityGroups, ["sg-0123456789abcdef0"]);
    });
});
