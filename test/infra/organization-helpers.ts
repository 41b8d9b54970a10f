/**
 * Synthesizes the organization deployment (`-c deployment=organization`) offline, as infra/app.ts does, without
 * bundling (like helpers.ts). Templates are read from the cloud assembly: the member stacks are no artifacts of
 * their own (StackSet templates), so Template.fromStack cannot reach them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BucketGuardChecks } from '../../infra/checks';
import { buildOrganization, type OrganizationDeployment } from '../../infra/organization/app';
import { organizationSettingsFromContext } from '../../infra/organization/settings';
import { cdkJsonContext } from './helpers';

export const ORG_CONTEXT = {
  organizationId: 'o-a1b2c3d4e5',
  homeRegion: 'eu-west-1',
  regions: 'eu-west-1,us-east-1',
  organizationalUnits: 'ou-ab12-11111111,ou-ab12-22222222',
} as const;

export interface CfnResourceJson {
  Type: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}
export interface TemplateJson {
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Resources: Record<string, CfnResourceJson>;
}

export interface OrgSynth {
  readonly app: App;
  readonly deployment: OrganizationDeployment;
  readonly outdir: string;
  readonly security: TemplateJson;
  readonly assets: Record<string, TemplateJson>;
  /** Member templates by mode. */
  readonly members: Record<string, TemplateJson>;
  readonly assetManifest: {
    files: Record<string, { source: { path: string }; destinations: Record<string, Record<string, string>> }>;
  };
  /** cdk-nag and bucketguard-check messages (errors and warnings) on every construct, member stacks included. */
  readonly findings: string[];
}

function read<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function synthOrganization(context: Record<string, string> = {}, nag = false): OrgSynth {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bucketguard-org-'));
  process.on('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, outdir });
  const all: Record<string, unknown> = { ...ORG_CONTEXT, ...context };
  const settings = organizationSettingsFromContext((key) => all[key]);
  const deployment = buildOrganization(app, settings);
  if (nag) {
    // As infra/app.ts: cdk-nag, and bucketguard's own check of the deployment's buckets (a failure throws here).
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    Validations.of(app).addPlugins(new BucketGuardChecks());
  }
  app.synth();
  const members: Record<string, TemplateJson> = {};
  for (const { stack } of deployment.security.members) {
    members[stack.node.id.replace('Member-', '')] = read(path.join(outdir, stack.templateFile));
  }
  const assets: Record<string, TemplateJson> = {};
  for (const stack of deployment.assets) assets[stack.stackName] = read(path.join(outdir, stack.templateFile));
  const findings = app.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
    .map((m) => String(m.data));
  return {
    app,
    deployment,
    outdir,
    security: read(path.join(outdir, deployment.security.templateFile)),
    assets,
    members,
    assetManifest: read(path.join(outdir, `${deployment.security.artifactId}.assets.json`)),
    findings,
  };
}

export function ofType(template: TemplateJson, type: string): [string, CfnResourceJson][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

const IDENTITY_POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy'];

/** Every IAM action the identity policies (roles and their policies) of the template allow. */
export function identityActions(template: TemplateJson): string[] {
  const resources = Object.values(template.Resources).filter((r) => IDENTITY_POLICY_TYPES.includes(r.Type));
  return allowedActions({ Resources: Object.fromEntries(resources.map((r, i) => [String(i), r])) });
}

/** Every IAM action an identity or resource policy in the template allows. */
export function allowedActions(template: TemplateJson): string[] {
  const actions: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (record.Effect === 'Allow' && record.Action !== undefined) actions.push(...[record.Action].flat().map(String));
      Object.values(record).forEach(visit);
    }
  };
  visit(template.Resources);
  return actions;
}

export function propsOf(resource: CfnResourceJson | undefined): Record<string, unknown> {
  return resource?.Properties ?? {};
}
