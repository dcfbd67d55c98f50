/**
 * One Lambda function of the pipeline: a handler of functions/ bundled by the local esbuild (no Docker) into one ESM
 * file for the newest Node.js runtime this aws-cdk-lib offers, on ARM64, with its own role (no AWS-managed policy),
 * its own KMS-encrypted log group, a reserved concurrency, active X-Ray tracing, the Powertools settings (service,
 * metrics namespace, log level) in its environment, and exactly the grants infra/layout.ts lists for it.
 *
 * Bundling notes. The bundle is ESM because lib/ reads `import.meta.url` at module scope; a banner defines
 * `require`, `__filename` and `__dirname` for the CommonJS packages inside it. parquet-wasm loads its `.wasm` file
 * from `__dirname`, so the hook copies that file beside the bundle, and it copies queries/, the reference data and
 * the configuration file with the same relative paths (config/stratify.json), where lib/assets.ts finds them under
 * LAMBDA_TASK_ROOT. @duckdb/node-api is
 * native and local-only: it is left out, with the local SQL ingest runner that loads it, and no handler may import it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { grantStage, type GrantTargets } from './grants.js';
import { ACCESS, type StageName } from './layout.js';

/** the newest Node.js runtime of aws-cdk-lib 2.276 */
const RUNTIME = lambda.Runtime.NODEJS_24_X;

/** project-relative folders the handlers read at run time through lib/assets.ts, copied when they exist */
const SHIPPED_FOLDERS = ['queries', 'lib/scoring/hcc/data', 'lib/scoring/comorbidity/data', 'lib/ingest/fhir/data'] as const;

const PARQUET_WASM = 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm';

/**
 * The local SQL ingest runner, as lib/pipeline/ingest.ts imports it (dynamically, when no other runner is given): it
 * loads DuckDB, so it stays out of the bundles; the ingest function gives Athena's runner instead.
 */
const LOCAL_SQL_RUNNER = '../ingest/sql/run-file.js';

const ESM_BANNER = [
  "import { createRequire as __stratifyCreateRequire } from 'node:module';",
  "import { fileURLToPath as __stratifyFileURLToPath } from 'node:url';",
  'const require = __stratifyCreateRequire(import.meta.url);',
  'const __filename = __stratifyFileURLToPath(import.meta.url);',
  "const __dirname = __stratifyFileURLToPath(new URL('.', import.meta.url));",
].join(' ');

/** what every function shares */
export interface FunctionDefaults {
  /** the project root: package-lock.json, functions/, queries/ */
  readonly projectRoot: string;
  /** the validated configuration file, shipped in each bundle as config/stratify.json */
  readonly configPath: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly grants: GrantTargets;
  /** the CloudWatch namespace of the functions' metrics: `Stratify/<deploy.name>` */
  readonly metricsNamespace: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export interface StageFunctionProps {
  readonly stage: StageName;
  readonly defaults: FunctionDefaults;
  readonly memorySize: number;
  /** MiB of /tmp @default 512 */
  readonly ephemeralStorageMiB?: number;
  readonly timeout: Duration;
  readonly reservedConcurrency: number;
  readonly description: string;
}

function copyShippedFiles(inputDir: string, outputDir: string, configPath: string): string[] {
  const commands = SHIPPED_FOLDERS.filter((f) => existsSync(join(inputDir, f))).map(
    (f) => `mkdir -p "${join(outputDir, f)}" && cp -R "${join(inputDir, f)}/." "${join(outputDir, f)}/"`,
  );
  return [
    ...commands,
    `cp "${join(inputDir, PARQUET_WASM)}" "${outputDir}/"`,
    `mkdir -p "${join(outputDir, 'config')}" && cp "${configPath}" "${join(outputDir, 'config', 'stratify.json')}"`,
  ];
}

export class StageFunction extends Construct {
  public readonly stage: StageName;
  public readonly fn: nodejs.NodejsFunction;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: StageFunctionProps) {
    super(scope, id);
    const { defaults } = props;
    this.stage = props.stage;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: defaults.key,
      retention: defaults.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Stratify ${props.stage} function`,
    });
    logGroup.grantWrite(this.role);
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(defaults.projectRoot, 'functions', `${props.stage}.ts`),
      projectRoot: defaults.projectRoot,
      depsLockFilePath: join(defaults.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      ...(props.ephemeralStorageMiB === undefined ? {} : { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMiB) }),
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...defaults.environment,
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools (functions/shared/powertools.ts): the logs' and metrics' service, the metrics' namespace, the log level
        POWERTOOLS_SERVICE_NAME: `stratify-${props.stage}`,
        POWERTOOLS_METRICS_NAMESPACE: defaults.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: defaults.logLevel,
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_BANNER,
        minify: true,
        keepNames: true,
        sourceMap: true,
        bundleAwsSDK: true,
        // DuckDB and the local runner that loads it (lib/pipeline/ingest.ts imports it only when no other runner is given)
        externalModules: ['@duckdb/node-api', LOCAL_SQL_RUNNER],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => copyShippedFiles(inputDir, outputDir, defaults.configPath),
        },
      },
    });
    grantStage(this.role, this, ACCESS[props.stage], defaults.grants);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing: Lambda adds xray:PutTraceSegments and xray:PutTelemetryRecords to the role, actions AWS documents as not ' +
        'supporting resource-level permissions; they write trace data only and read nothing',
    });
  }
}
