/**
 * The connector's network, checked before it exists (AWS reports a FAILED connector after about 20 minutes).
 * The connector runs in the cluster's client subnets with the cluster's security groups, so:
 *  - each subnet's route table (its own, or the VPC's main one) needs a route to S3: an S3 gateway VPC
 *    endpoint on it, or 0.0.0.0/0 through a NAT gateway (the connector's interfaces get no public IP, so an
 *    internet gateway does not do);
 *  - the security groups must admit the connector on TCP 9098 (the IAM brokers) and let it out to 9098 and 443.
 * What the lookups show for certain is an error; where they cannot tell (a transit gateway, a prefix list,
 * a lookup the identity may not make), a warning.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config";
import type { ClusterLookup } from "./connectorDependencies";
import { errorText } from "../common";
import { isNotFound, PreflightWarning, reason, SEVERAL_FOUND } from "./lookupError";
import { judgeSecurityGroups, SecurityGroupRule } from "./securityGroups";

export interface NetworkVerdict {
    readonly errors: string[];
    readonly warnings: PreflightWarning[];
}

type RouteTable = aws.ec2.GetRouteTableResult & { readonly isMain: boolean };
type Endpoint = aws.ec2.GetVpcEndpointResult;

const KEY = `${PROJECT}:mskClusterName`;
const FAILS_LATER = "the connector would go FAILED about 20 minutes after it is created";

/** S3's endpoint service names in a region (China's regions use either form). */
function s3ServiceNames(region: string): string[] {
    return [`com.amazonaws.${region}.s3`, `cn.com.amazonaws.${region}.s3`];
}

function warning(rule: string, message: string): PreflightWarning {
    return { rule, key: KEY, message };
}

/** The VPC's S3 endpoint of a type, undefined when it has none, "several" when it has more than one; a lookup that cannot tell rejects. */
async function s3Endpoint(
    vpcId: string,
    region: string,
    type: "Gateway" | "Interface",
    opts: pulumi.InvokeOptions,
): Promise<Endpoint | undefined | "several"> {
    const filters = [
        { name: "service-name", values: s3ServiceNames(region) },
        { name: "vpc-endpoint-type", values: [type] },
    ];
    return aws.ec2.getVpcEndpoint({ vpcId, filters }, opts).then(
        (e) => e,
        (e: unknown) => {
            if (isNotFound(e, "vpcEndpoint")) return undefined;
            if (errorText(e).includes(SEVERAL_FOUND.vpcEndpoint)) {
                // @pulumi/aws 7.48 has no plural VPC endpoint lookup to tell which route tables each one serves.
                throw new Error(
                    `the VPC has several S3 ${type.toLowerCase()} endpoints, and the provider's lookup can only answer for one`,
                );
            }
            throw e;
        },
    );
}

/**
 * The one route table a filter matches, or undefined when none does: the plural lookup answers an empty list
 * where the singular one fails ("query returned no results…", terraform-provider-aws `ec2` `FindRouteTable`), and "none" is a normal answer here.
 */
async function routeTableWhere(
    filters: { name: string; values: string[] }[],
    vpcId: string,
    byId: (id: string) => Promise<aws.ec2.GetRouteTableResult>,
    opts: pulumi.InvokeOptions,
): Promise<aws.ec2.GetRouteTableResult | undefined> {
    const found = await aws.ec2.getRouteTables({ vpcId, filters }, opts);
    const id = found.ids[0];
    return id === undefined ? undefined : byId(id);
}

/** Each subnet's route table: the one associated with it, or else (the common case) the VPC's main route table. */
async function routeTablesOf(subnetIds: string[], vpcId: string, opts: pulumi.InvokeOptions): Promise<Map<string, RouteTable>> {
    // Subnets usually share a table: each table is read once.
    const read = new Map<string, Promise<aws.ec2.GetRouteTableResult>>();
    const byId = (id: string) => read.get(id) ?? read.set(id, aws.ec2.getRouteTable({ routeTableId: id }, opts)).get(id)!;
    const tableWhere = (filters: { name: string; values: string[] }[]) => routeTableWhere(filters, vpcId, byId, opts);
    let main: Promise<RouteTable> | undefined;
    const mainTable = () =>
        (main ??= tableWhere([{ name: "association.main", values: ["true"] }]).then((t) => {
            if (t === undefined) throw new Error(`VPC ${vpcId} reports no main route table`);
            return { ...t, isMain: true };
        }));
    const tables = await Promise.all(
        subnetIds.map((subnetId) =>
            tableWhere([{ name: "association.subnet-id", values: [subnetId] }]).then((t) =>
                t === undefined ? mainTable() : { ...t, isMain: false },
            ),
        ),
    );
    return new Map(subnetIds.map((id, i) => [id, tables[i]]));
}

/** How a route table reaches S3: "endpoint" or "nat" (certain), "unknown" (some other default route), or "none". */
function routeToS3(table: RouteTable, gateway: Endpoint | undefined): "endpoint" | "nat" | "unknown" | "none" {
    if (gateway && gateway.state.toLowerCase() === "available" && gateway.routeTableIds.includes(table.id)) return "endpoint";
    const defaults = table.routes.filter((r) => r.cidrBlock === "0.0.0.0/0");
    if (defaults.some((r) => r.natGatewayId)) return "nat";
    const other = defaults.some(
        (r) =>
            r.transitGatewayId ||
            r.networkInterfaceId ||
            r.instanceId ||
            r.vpcPeeringConnectionId ||
            r.coreNetworkArn ||
            r.localGatewayId ||
            (r.gatewayId && !r.gatewayId.startsWith("igw-")),
    );
    return other ? "unknown" : "none";
}

function noRouteMessage(
    tableId: string,
    subnets: string[],
    table: RouteTable,
    vpcId: string,
    region: string,
    gateway: Endpoint | undefined,
): string {
    const which = table.isMain ? `${tableId}, the VPC's main route table` : tableId;
    const igw = table.routes.some((r) => r.cidrBlock === "0.0.0.0/0" && r.gatewayId?.startsWith("igw-"))
        ? " (its internet gateway does not serve the connector, whose network interfaces get no public IP)"
        : "";
    const fix = gateway
        ? `add the route table to the VPC's S3 gateway endpoint: \`aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${gateway.id} --add-route-table-ids ${tableId}\``
        : `create an S3 gateway endpoint for it: \`aws ec2 create-vpc-endpoint --vpc-id ${vpcId} --service-name com.amazonaws.${region}.s3 --route-table-ids ${tableId}\``;
    return `no route from the connector's subnets to S3: ${subnets.join(", ")} use${subnets.length === 1 ? "s" : ""} route table ${which}, which has neither an S3 gateway endpoint nor a NAT gateway for 0.0.0.0/0${igw}, so the sink could not write and ${FAILS_LATER}. Fix: ${fix}, or route 0.0.0.0/0 through a NAT gateway.`;
}

/** What to check by hand when the VPC has several S3 gateway endpoints (the lookup answers for one only). */
function severalGatewaysMessage(tableId: string, subnets: string[], vpcId: string, region: string): string {
    return `the VPC has several S3 gateway endpoints and the provider's lookup answers for one only, so it cannot tell whether ${subnets.join(", ")} (route table ${tableId}) reach S3. Check that one of them lists ${tableId} (\`aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=${vpcId} Name=service-name,Values=com.amazonaws.${region}.s3 --query 'VpcEndpoints[].[VpcEndpointId,RouteTableIds]'\`), or ${FAILS_LATER} if none does.`;
}

/** The route check over every client subnet. */
async function checkRoutes(
    subnetIds: string[],
    vpcId: string,
    region: string,
    opts: pulumi.InvokeOptions,
    out: NetworkVerdict,
): Promise<void> {
    const [tables, gateway] = await Promise.all([routeTablesOf(subnetIds, vpcId, opts), s3Endpoint(vpcId, region, "Gateway", opts)]);
    const byTable = new Map<string, string[]>();
    for (const [subnet, table] of tables) byTable.set(table.id, [...(byTable.get(table.id) ?? []), subnet]);
    let interfaceEndpoint: Promise<Endpoint | undefined | "several"> | undefined;
    for (const [tableId, subnets] of byTable) {
        const table = tables.get(subnets[0])!;
        const route = routeToS3(table, gateway === "several" ? undefined : gateway);
        if (route === "nat" || route === "endpoint") continue;
        if (gateway === "several") {
            out.warnings.push(warning("route-to-s3-unknown", severalGatewaysMessage(tableId, subnets, vpcId, region)));
            continue;
        }
        interfaceEndpoint ??= s3Endpoint(vpcId, region, "Interface", opts);
        const found = await interfaceEndpoint;
        const iface = found === "several" ? { id: "(several)" } : found;
        if (route === "unknown" || iface) {
            const via = iface
                ? `the VPC's S3 interface endpoint ${iface.id}`
                : "its default route, which goes neither to a NAT gateway nor through an S3 gateway endpoint";
            out.warnings.push(
                warning(
                    "route-to-s3-unknown",
                    `cannot tell whether ${subnets.join(", ")} (route table ${tableId}) reach S3: only through ${via}. Check it, or ${FAILS_LATER} if not.`,
                ),
            );
            continue;
        }
        out.errors.push(noRouteMessage(tableId, subnets, table, vpcId, region, gateway));
    }
}

/** The security-group check: every rule of the cluster's groups, judged for the connector. */
async function checkSecurityGroups(
    cluster: ClusterLookup,
    subnetCidrs: string[],
    opts: pulumi.InvokeOptions,
    out: NetworkVerdict,
): Promise<void> {
    const found = await aws.vpc.getSecurityGroupRules({ filters: [{ name: "group-id", values: cluster.securityGroups }] }, opts);
    const rules: SecurityGroupRule[] = await Promise.all(
        found.ids.map((id) => aws.vpc.getSecurityGroupRule({ securityGroupRuleId: id }, opts)),
    );
    const verdict = judgeSecurityGroups(rules, cluster.securityGroups, subnetCidrs);
    out.errors.push(...verdict.errors.map((e) => `${e} Otherwise ${FAILS_LATER}.`));
    out.warnings.push(...verdict.warnings.map((w) => warning("security-group-unknown", w)));
}

/** Route to S3 and security groups; lookups that fail are warnings (the check cannot tell), never errors. */
export async function checkNetwork(cluster: ClusterLookup, region: string, opts: pulumi.InvokeOptions): Promise<NetworkVerdict> {
    const out: NetworkVerdict = { errors: [], warnings: [] };
    const cannotTell = (what: string) => (e: unknown) =>
        void out.warnings.push(
            warning("network-unchecked", `could not check ${what}: ${reason(e)}. The deploying identity needs ec2:Describe* to check it.`),
        );
    let subnets: aws.ec2.GetSubnetResult[];
    try {
        subnets = await Promise.all(cluster.subnets.map((id) => aws.ec2.getSubnet({ id }, opts)));
    } catch (e) {
        cannotTell(
            `the cluster's client subnets (${cluster.subnets.join(", ")}), so neither the route to S3 nor the security groups were checked`,
        )(e);
        return out;
    }
    const vpcId = subnets[0].vpcId;
    await Promise.all([
        checkRoutes(cluster.subnets, vpcId, region, opts, out).catch(cannotTell("the route from the client subnets to S3")),
        checkSecurityGroups(
            cluster,
            subnets.map((s) => s.cidrBlock),
            opts,
            out,
        ).catch(cannotTell(`the rules of the cluster's security groups (${cluster.securityGroups.join(", ")})`)),
    ]);
    return out;
}
