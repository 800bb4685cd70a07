/**
 * IAM policy documents for the connector's service execution role, as plain functions.
 *
 * Every statement names its resources: no `*` action and no `*` resource. The only wildcards are the
 * trailing ones inside ARNs that MSK Connect itself names at run time: its internal topics and groups
 * (`__amazon_msk_connect_*`), the objects under the sink's topics directory, and the connector ARN's
 * random suffix in the trust policy's `aws:SourceArn` condition.
 */

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Record<string, string | string[]>;
    readonly Action: string | string[];
    readonly Resource?: string | string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

export interface TrustPolicyInputs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly connectorName: string;
}

/** Who may assume the role: MSK Connect, for this connector in this account only (confused deputy). */
export function connectorTrustPolicy(i: TrustPolicyInputs): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "MskConnectAssumesForThisConnectorOnly",
                Effect: "Allow",
                Principal: { Service: "kafkaconnect.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": i.accountId },
                    ArnLike: {
                        "aws:SourceArn": `arn:${i.partition}:kafkaconnect:${i.region}:${i.accountId}:connector/${i.connectorName}/*`,
                    },
                },
            },
        ],
    };
}

export interface PermissionPolicyInputs extends TrustPolicyInputs {
    readonly clusterName: string;
    readonly clusterUuid: string;
    readonly topics: readonly string[];
    readonly bucketName: string;
    /** The sink's `topics.dir` (objects are written below it). @default "topics" */
    readonly topicsDir?: string;
    /** KMS key the bucket encrypts with; adds kms:GenerateDataKey and kms:Decrypt on it. */
    readonly kmsKeyArn?: string;
}

/** Kafka ARNs for IAM access control: cluster, topic and group, all below the one cluster. */
export function kafkaArns(i: PermissionPolicyInputs): { cluster: string; topic: (t: string) => string; group: (g: string) => string } {
    const base = `arn:${i.partition}:kafka:${i.region}:${i.accountId}`;
    const tail = `${i.clusterName}/${i.clusterUuid}`;
    return {
        cluster: `${base}:cluster/${tail}`,
        topic: (t) => `${base}:topic/${tail}/${t}`,
        group: (g) => `${base}:group/${tail}/${g}`,
    };
}

/** What the S3 sink needs: read its topics, run MSK Connect's bookkeeping, write its bucket. */
export function connectorPermissionPolicy(i: PermissionPolicyInputs): PolicyDocument {
    const kafka = kafkaArns(i);
    const bucketArn = `arn:${i.partition}:s3:::${i.bucketName}`;
    const topicsDir = i.topicsDir ?? "topics";
    const statements: PolicyStatement[] = [
        {
            Sid: "ConnectToTheCluster",
            Effect: "Allow",
            Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
            Resource: kafka.cluster,
        },
        {
            Sid: "ReadTheSinkTopics",
            Effect: "Allow",
            Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
            Resource: i.topics.map(kafka.topic),
        },
        {
            Sid: "MskConnectInternalTopics",
            Effect: "Allow",
            Action: ["kafka-cluster:CreateTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
            Resource: kafka.topic("__amazon_msk_connect_*"),
        },
        {
            Sid: "ConsumerGroups",
            Effect: "Allow",
            Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
            Resource: [kafka.group("__amazon_msk_connect_*"), kafka.group(`connect-${i.connectorName}`)],
        },
        {
            Sid: "TargetBucket",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
            Resource: bucketArn,
        },
        {
            Sid: "TargetObjects",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: `${bucketArn}/${topicsDir}/*`,
        },
    ];
    if (i.kmsKeyArn) {
        statements.push({
            Sid: "TargetBucketKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: i.kmsKeyArn,
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Every action of a policy document, flattened. */
export function actionsOf(doc: PolicyDocument): string[] {
    return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
