/**
 * The fields of the AWS provider's structured settings (`@pulumi/aws` 7.x, its `types/input` Provider*
 * interfaces): what a stack may write inside `aws:assumeRoles`, `aws:assumeRoleWithWebIdentity`,
 * `aws:defaultTags`, `aws:ignoreTags` and `aws:endpoints`, and the kind of each value. The stack-config
 * check names a misspelt field instead of letting the provider ignore it or fail in `pulumi up`.
 */

/** A field's value: a string, a list of strings, or a map of string to string (tags). */
export type AwsFieldKind = "string" | "stringList" | "stringMap";

/** The service names `aws:endpoints` takes, each an endpoint URL (the provider's ProviderEndpoint). */
const ENDPOINT_SERVICES = `
    accessanalyzer account accountaccess acm acmpca agentregistry amg amp amplify apigateway apigatewayv2
    appautoscaling appconfig appfabric appflow appintegrations appintegrationsservice applicationautoscaling
    applicationinsights applicationsignals appmesh appregistry apprunner appstream appsync arcregionswitch
    arczonalshift athena auditmanager autoscaling autoscalingplans backup batch bcmdataexports beanstalk bedrock
    bedrockagent bedrockagentcore bedrockruntime billing budgets ce chatbot chime chimesdkmediapipelines
    chimesdkvoice cleanrooms cloud9 cloudcontrol cloudcontrolapi cloudformation cloudfront
    cloudfrontkeyvaluestore cloudhsm cloudhsmv2 cloudsearch cloudtrail cloudwatch cloudwatchevents
    cloudwatchevidently cloudwatchlog cloudwatchlogs cloudwatchobservabilityaccessmanager cloudwatchrum
    codeartifact codebuild codecatalyst codecommit codeconnections codedeploy codeguruprofiler codegurureviewer
    codepipeline codestarconnections codestarnotifications cognitoidentity cognitoidentityprovider cognitoidp
    comprehend computeoptimizer config configservice connect connectcases controltower costandusagereportservice
    costexplorer costoptimizationhub cur customerprofiles databasemigration databasemigrationservice databrew
    dataexchange datapipeline datasync datazone dax deploy detective devicefarm devopsagent devopsguru
    directconnect directoryservice directoryservicedata dlm dms docdb docdbelastic drs ds dsql dynamodb ec2 ecr
    ecrpublic ecs efs eks elasticache elasticbeanstalk elasticloadbalancing elasticloadbalancingv2 elasticsearch
    elasticsearchservice elastictranscoder elb elbv2 emr emrcontainers emrserverless es eventbridge events
    evidently evs finspace firehose fis fms fsx gamelift glacier globalaccelerator glue gluedatabrew grafana
    greengrass groundstation guardduty healthlake iam identitystore imagebuilder inspector inspector2 inspectorv2
    interconnect internetmonitor invoicing iot ivs ivschat kafka kafkaconnect kendra keyspaces kinesis
    kinesisanalytics kinesisanalyticsv2 kinesisvideo kms lakeformation lambda lambdacore lambdamicrovms
    launchwizard lex lexmodelbuilding lexmodelbuildingservice lexmodels lexmodelsv2 lexv2models licensemanager
    lightsail location locationservice logs m2 macie2 mailmanager managedgrafana mediaconnect mediaconvert
    medialive mediapackage mediapackagev2 mediapackagevod mediastore memorydb mgn mpa mq msk mwaa mwaaserverless
    neptune neptunegraph networkfirewall networkflowmonitor networkmanager networkmonitor notifications
    notificationscontacts oam observabilityadmin odb opensearch opensearchingestion opensearchserverless
    opensearchservice organizations osis outposts paymentcryptography pcaconnectorad pcs pinpoint
    pinpointsmsvoicev2 pipes polly pricing prometheus prometheusservice qbusiness qldb quicksight ram rbin rds
    rdsdata rdsdataservice recyclebin redshift redshiftdata redshiftdataapiservice redshiftserverless rekognition
    resiliencehub resiliencehubv2 resourceexplorer2 resourcegroups resourcegroupstagging resourcegroupstaggingapi
    rolesanywhere route53 route53domains route53profiles route53recoverycontrolconfig route53recoveryreadiness
    route53resolver rum s3 s3api s3control s3files s3outposts s3tables s3vectors sagemaker savingsplans scheduler
    schemas secretsmanager securityhub securitylake serverlessapplicationrepository serverlessapprepo
    serverlessrepo servicecatalog servicecatalogappregistry servicediscovery servicequotas ses sesv2 sfn shield
    signer sns sqs ssm ssmcontacts ssmincidents ssmquicksetup ssmsap sso ssoadmin stepfunctions storagegateway
    sts swf synthetics taxsettings timestreaminfluxdb timestreamquery timestreamwrite transcribe
    transcribeservice transfer uxc verifiedpermissions vpclattice waf wafregional wafv2 wellarchitected workmail
    workspaces workspacesweb xray
`
    .trim()
    .split(/\s+/);

const ASSUME_ROLE_COMMON: Readonly<Record<string, AwsFieldKind>> = {
    duration: "string",
    policy: "string",
    policyArns: "stringList",
    roleArn: "string",
    sessionName: "string",
};

/** Each structured setting's fields. */
export const AWS_PROVIDER_FIELDS: Readonly<Record<string, Readonly<Record<string, AwsFieldKind>>>> = {
    assumeRoles: {
        ...ASSUME_ROLE_COMMON,
        externalId: "string",
        sourceIdentity: "string",
        tags: "stringMap",
        transitiveTagKeys: "stringList",
    },
    assumeRoleWithWebIdentity: { ...ASSUME_ROLE_COMMON, webIdentityToken: "string", webIdentityTokenFile: "string" },
    defaultTags: { tags: "stringMap" },
    ignoreTags: { keyPrefixes: "stringList", keys: "stringList" },
    endpoints: Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, "string" as const])),
};
