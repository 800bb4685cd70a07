/**
 * Whether the cluster's security groups let the connector work, judged from their rules alone (a pure
 * function, tested as one). The connector gets the same groups as the cluster, in the same subnets, so it
 * must be admitted to the brokers on TCP 9098 (a rule referencing one of the groups, or a CIDR holding every
 * client subnet), and be let out to 9098 and to S3 on 443.
 */

/** The fields of a security group rule (as `aws.vpc.getSecurityGroupRule` returns them) the judgement reads. */
export interface SecurityGroupRule {
    readonly securityGroupRuleId: string;
    readonly securityGroupId: string;
    readonly isEgress: boolean;
    readonly ipProtocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly cidrIpv4: string;
    readonly prefixListId: string;
    readonly referencedSecurityGroupId: string;
}

export const BROKER_PORT = 9098;

type Reach = "certain" | "maybe" | "no";

function ipv4(address: string): number | undefined {
    const parts = address.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** True when the CIDR block `outer` holds all of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
    const [oAddr, oBits] = outer.split("/");
    const [iAddr, iBits] = inner.split("/");
    const o = ipv4(oAddr);
    const i = ipv4(iAddr);
    if (o === undefined || i === undefined || Number(oBits) > Number(iBits)) return false;
    const mask = Number(oBits) === 0 ? 0 : (~0 << (32 - Number(oBits))) >>> 0;
    return (o & mask) >>> 0 === (i & mask) >>> 0;
}

function coversPort(rule: SecurityGroupRule, port: number): boolean {
    if (rule.ipProtocol === "-1") return true;
    return (rule.ipProtocol === "tcp" || rule.ipProtocol === "6") && rule.fromPort <= port && port <= rule.toPort;
}

/** How surely one rule lets the connector's traffic through to (or from) `peers`, the groups, or `cidrs`. */
function reach(rule: SecurityGroupRule, groups: readonly string[], cidrs: readonly string[]): Reach {
    if (rule.referencedSecurityGroupId) return groups.includes(rule.referencedSecurityGroupId) ? "certain" : "no";
    if (rule.prefixListId) return "maybe";
    if (!rule.cidrIpv4) return "no"; // IPv6 only: the connector uses IPv4
    const held = cidrs.filter((c) => cidrContains(rule.cidrIpv4, c)).length;
    if (cidrs.length > 0 && held === cidrs.length) return "certain";
    return held > 0 || cidrs.length === 0 ? "maybe" : "no";
}

function best(rules: SecurityGroupRule[], egress: boolean, port: number, score: (r: SecurityGroupRule) => Reach): Reach {
    const scores = rules.filter((r) => r.isEgress === egress && coversPort(r, port)).map(score);
    return scores.includes("certain") ? "certain" : scores.includes("maybe") ? "maybe" : "no";
}

/** Errors (certain) and warnings (cannot tell) about the connector's traffic through the cluster's groups. */
export function judgeSecurityGroups(
    rules: SecurityGroupRule[],
    groups: readonly string[],
    subnetCidrs: readonly string[],
): { errors: string[]; warnings: string[] } {
    const errors: string[] = [];
    const warnings: string[] = [];
    const g = groups.join(", ");
    const first = groups[0];
    const toBrokers = (r: SecurityGroupRule) => reach(r, groups, subnetCidrs);
    const toS3 = (r: SecurityGroupRule): Reach => (r.cidrIpv4 === "0.0.0.0/0" ? "certain" : r.prefixListId || r.cidrIpv4 ? "maybe" : "no");
    const checks: [Reach, string, string][] = [
        [
            best(rules, false, BROKER_PORT, toBrokers),
            `the cluster's security groups (${g}) admit nothing on TCP ${BROKER_PORT} from the connector, which gets the same groups in the same subnets, so its workers could not reach the IAM brokers. Fix: let the group reach itself on ${BROKER_PORT}: \`aws ec2 authorize-security-group-ingress --group-id ${first} --protocol tcp --port ${BROKER_PORT} --source-group ${first}\`.`,
            `cannot tell whether the cluster's security groups (${g}) admit the connector on TCP ${BROKER_PORT}: the only rules that might are a prefix list or CIDR blocks that hold some of the client subnets only. A rule referencing the group itself is certain.`,
        ],
        [
            best(rules, true, BROKER_PORT, toBrokers),
            `the cluster's security groups (${g}) let nothing out on TCP ${BROKER_PORT}, and the connector gets the same groups, so it could not reach the IAM brokers. Fix: \`aws ec2 authorize-security-group-egress --group-id ${first} --protocol tcp --port ${BROKER_PORT} --source-group ${first}\`.`,
            `cannot tell whether the connector (with the cluster's security groups ${g}) may go out to the brokers on TCP ${BROKER_PORT}: the egress rules that might allow it name a prefix list or part of the client subnets.`,
        ],
        [
            best(rules, true, 443, toS3),
            `the cluster's security groups (${g}) let nothing out on TCP 443, and the connector gets the same groups, so it could not reach S3. Fix: allow egress on 443 to 0.0.0.0/0 or to S3's prefix list.`,
            `cannot tell whether the connector (with the cluster's security groups ${g}) may go out to S3 on TCP 443: the egress rules that might allow it name a prefix list or CIDR blocks, not 0.0.0.0/0.`,
        ],
    ];
    for (const [verdict, error, warning] of checks) {
        if (verdict === "no") errors.push(error);
        else if (verdict === "maybe") warnings.push(warning);
    }
    return { errors, warnings };
}
