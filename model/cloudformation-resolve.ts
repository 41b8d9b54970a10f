/**
 * A static evaluator of CloudFormation intrinsic functions, for reading S3 resources out of a template before
 * anything is deployed. It resolves what a template fixes by itself: Ref and Fn::GetAtt to resources of the same
 * template (a bucket's name and ARN), parameters' defaults, the pseudo parameters that do not depend on the target
 * (AWS::Partition "aws", AWS::URLSuffix; AWS::Region only when the caller says which), AWS::AccountId (the given
 * account, else a stand-in for "the account the stack is deployed to", see DEPLOYMENT_ACCOUNT), Fn::Sub,
 * Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If and Conditions. Everything else is an explicit unresolved
 * value with the reason, never a guess. Pure: the template is already parsed (JSON, or YAML with short-form tags
 * turned into their long forms by the reader).
 */
import { isJsonObject, type JsonObject } from './normalize-json';

/** A value that could not be resolved statically, with why (it travels up to the caveat the report shows). */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/**
 * AWS::AccountId when the caller does not name the account: a stand-in that is also the owner account of every
 * bucket of the template, so a policy pinned to `Ref AWS::AccountId` is read as pinned to the bucket owner's own
 * account, which is what it means wherever the stack is deployed. Reports show it as DEPLOYMENT_ACCOUNT_LABEL.
 */
export const DEPLOYMENT_ACCOUNT = '000000000000';
export const DEPLOYMENT_ACCOUNT_LABEL = '<AWS::AccountId>';

/** AWS::NoValue: the property is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface ResolveOptions {
  /** The account the template is deployed to (AWS::AccountId); unresolved without it. */
  readonly accountId?: string;
  /** AWS::Region; unresolved without it. */
  readonly region?: string;
  /** Parameter values to use instead of the defaults (e.g. the deployment's). */
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface TemplateContext {
  readonly resources: Readonly<Record<string, JsonObject>>;
  readonly parameters: Readonly<Record<string, JsonObject>>;
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  readonly options: ResolveOptions;
  /** Parameter defaults that were used: said once per template in the notes. */
  readonly usedDefaults: Set<string>;
  /** Whether the stand-in for AWS::AccountId was used (said in the notes). */
  usedDeploymentAccount: boolean;
  /** Bucket names being resolved: a name that refers back to itself is unresolved, not an endless loop. */
  readonly resolvingNames: Set<string>;
}

export function templateContext(template: JsonObject, options: ResolveOptions = {}): TemplateContext {
  const section = (name: string): Record<string, JsonObject> => {
    const value = template[name];
    if (!isJsonObject(value)) return {};
    const out: Record<string, JsonObject> = {};
    for (const [key, entry] of Object.entries(value)) if (isJsonObject(entry)) out[key] = entry;
    return out;
  };
  return {
    resources: section('Resources'),
    parameters: section('Parameters'),
    conditions: isJsonObject(template.Conditions) ? template.Conditions : {},
    mappings: isJsonObject(template.Mappings) ? template.Mappings : {},
    options,
    usedDefaults: new Set(),
    usedDeploymentAccount: false,
    resolvingNames: new Set(),
  };
}

const INTRINSICS = [
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::FindInMap',
  'Fn::ImportValue',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Transform',
  'Fn::Length',
  'Fn::ToJsonString',
  'Condition',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
] as const;

/** The one intrinsic an object is (a single key naming one), else undefined. */
function intrinsicOf(value: JsonObject): string | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 && (INTRINSICS as readonly string[]).includes(keys[0]) ? keys[0] : undefined;
}

/** A bucket's name as the template gives it; the logical id in angle brackets when CloudFormation generates it. */
export function bucketNameOf(context: TemplateContext, logicalId: string): string | Unresolved {
  const resource = context.resources[logicalId];
  const properties = isJsonObject(resource?.Properties) ? resource.Properties : {};
  if (properties.BucketName === undefined) return `<${logicalId}>`;
  if (context.resolvingNames.has(logicalId)) return new Unresolved(`BucketName of ${logicalId} refers to itself`);
  context.resolvingNames.add(logicalId);
  let name: unknown;
  try {
    name = resolveValue(properties.BucketName, context);
  } finally {
    context.resolvingNames.delete(logicalId);
  }
  if (name instanceof Unresolved) return name;
  return typeof name === 'string' ? name : new Unresolved(`BucketName of ${logicalId} is not a string`);
}

function ref(name: string, context: TemplateContext): unknown {
  switch (name) {
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::AccountId':
      if (context.options.accountId !== undefined) return context.options.accountId;
      context.usedDeploymentAccount = true;
      return DEPLOYMENT_ACCOUNT;
    case 'AWS::Region':
      return context.options.region ?? new Unresolved('AWS::Region (the deployment Region) is not given');
    case 'AWS::StackName':
    case 'AWS::StackId':
    case 'AWS::NotificationARNs':
      return new Unresolved(`${name} (known only at deploy)`);
  }
  if (name in context.parameters) {
    const given = context.options.parameters?.[name];
    if (given !== undefined) return given;
    const fallback = context.parameters[name].Default;
    if (fallback === undefined) return new Unresolved(`parameter ${name} has no default`);
    context.usedDefaults.add(name);
    return fallback;
  }
  const resource = context.resources[name];
  if (resource) {
    if (resource.Type === 'AWS::S3::Bucket') return bucketNameOf(context, name);
    return new Unresolved(`Ref to ${name} (${String(resource.Type)}) is known only at deploy`);
  }
  return new Unresolved(`Ref to ${name}, which the template does not define`);
}

function getAtt(args: unknown, context: TemplateContext): unknown {
  let target: unknown;
  let attribute: unknown;
  if (typeof args === 'string') [target, attribute] = args.split(/\.(.*)/s);
  else if (Array.isArray(args)) [target, attribute] = args.map((a) => resolveValue(a, context));
  if (typeof target !== 'string' || typeof attribute !== 'string') return new Unresolved('a malformed Fn::GetAtt');
  const resource = context.resources[target];
  if (resource?.Type !== 'AWS::S3::Bucket' || attribute !== 'Arn') {
    return new Unresolved(`Fn::GetAtt ${target}.${attribute} is known only at deploy`);
  }
  const name = bucketNameOf(context, target);
  return name instanceof Unresolved ? name : `arn:aws:s3:::${name}`;
}

function sub(args: unknown, context: TemplateContext): unknown {
  let text: unknown = args;
  let variables: JsonObject = {};
  if (Array.isArray(args)) {
    [text] = args;
    if (isJsonObject(args[1])) variables = args[1];
  }
  if (typeof text !== 'string') return new Unresolved('a malformed Fn::Sub');
  let failure: Unresolved | undefined;
  const result = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    let value: unknown;
    if (name in variables) value = resolveValue(variables[name], context);
    else if (name.includes('.') && !name.startsWith('AWS::')) value = getAtt(name, context);
    else value = ref(name, context);
    if (value instanceof Unresolved) {
      failure ??= value;
      return whole;
    }
    return String(value);
  });
  return failure ?? result;
}

function condition(name: string, context: TemplateContext, seen: readonly string[] = []): boolean | Unresolved {
  if (seen.includes(name)) return new Unresolved(`condition ${name} refers to itself`);
  if (!(name in context.conditions)) return new Unresolved(`condition ${name} is not defined`);
  const value = resolveValue(context.conditions[name], context, [...seen, name]);
  if (value instanceof Unresolved) return new Unresolved(`condition ${name}: ${value.reason}`);
  return typeof value === 'boolean' ? value : new Unresolved(`condition ${name} is not a boolean`);
}

/** Whether a resource with `Condition: name` is created: true, false, or unresolved. */
export function conditionHolds(name: string, context: TemplateContext): boolean | Unresolved {
  return condition(name, context);
}

function list(value: unknown, context: TemplateContext, conditions: readonly string[]): unknown[] | Unresolved {
  const resolved = resolveValue(value, context, conditions);
  if (resolved instanceof Unresolved) return resolved;
  return Array.isArray(resolved) ? resolved : new Unresolved('expected a list');
}

function intrinsic(name: string, args: unknown, context: TemplateContext, conditions: readonly string[]): unknown {
  switch (name) {
    case 'Ref':
      return typeof args === 'string' ? ref(args, context) : new Unresolved('a malformed Ref');
    case 'Fn::GetAtt':
      return getAtt(args, context);
    case 'Fn::Sub':
      return sub(args, context);
    case 'Fn::Join': {
      if (!Array.isArray(args) || typeof args[0] !== 'string') return new Unresolved('a malformed Fn::Join');
      const parts = list(args[1], context, conditions);
      if (parts instanceof Unresolved) return parts;
      const bad = parts.find((part) => typeof part !== 'string' && typeof part !== 'number');
      return bad === undefined ? parts.join(args[0]) : new Unresolved('Fn::Join of a value that is not a string');
    }
    case 'Fn::Select': {
      if (!Array.isArray(args)) return new Unresolved('a malformed Fn::Select');
      const index = resolveValue(args[0], context, conditions);
      const items = list(args[1], context, conditions);
      if (index instanceof Unresolved) return index;
      if (items instanceof Unresolved) return items;
      const i = Number(index);
      return Number.isInteger(i) && i >= 0 && i < items.length ? items[i] : new Unresolved('Fn::Select out of range');
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || typeof args[0] !== 'string') return new Unresolved('a malformed Fn::Split');
      const text = resolveValue(args[1], context, conditions);
      if (text instanceof Unresolved) return text;
      return typeof text === 'string' ? text.split(args[0]) : new Unresolved('Fn::Split of a value that is not text');
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(args) || args.length < 3) return new Unresolved('a malformed Fn::FindInMap');
      const keys = args.slice(0, 3).map((key) => resolveValue(key, context, conditions));
      const failed = keys.find((key) => key instanceof Unresolved);
      if (failed) return failed;
      let node: unknown = context.mappings;
      for (const key of keys) node = isJsonObject(node) ? node[String(key)] : undefined;
      return node === undefined ? new Unresolved(`Fn::FindInMap ${keys.join('.')} is not in Mappings`) : node;
    }
    case 'Fn::If': {
      if (!Array.isArray(args) || typeof args[0] !== 'string') return new Unresolved('a malformed Fn::If');
      const holds = condition(args[0], context, conditions);
      if (holds instanceof Unresolved) return holds;
      return resolveValue(holds ? args[1] : args[2], context, conditions);
    }
    case 'Condition':
      return typeof args === 'string' ? condition(args, context, conditions) : new Unresolved('a malformed Condition');
    case 'Fn::Equals': {
      if (!Array.isArray(args) || args.length !== 2) return new Unresolved('a malformed Fn::Equals');
      const [a, b] = args.map((arg) => resolveValue(arg, context, conditions));
      if (a instanceof Unresolved) return a;
      if (b instanceof Unresolved) return b;
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args)) return new Unresolved(`a malformed ${name}`);
      const values = args.map((arg) => resolveValue(arg, context, conditions));
      const failed = values.find((value) => value instanceof Unresolved);
      if (failed) return failed;
      if (values.some((value) => typeof value !== 'boolean')) return new Unresolved(`${name} of a non-boolean`);
      if (name === 'Fn::Not') return !values[0];
      return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    default:
      return new Unresolved(`${name} is resolved only at deploy`);
  }
}

/**
 * Resolves every intrinsic function inside `value`. Returns an Unresolved for the first part that cannot be
 * resolved (an object's or list's unresolved member makes the whole unresolved). AWS::NoValue members are dropped.
 */
export function resolveValue(value: unknown, context: TemplateContext, conditions: readonly string[] = []): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const resolved = resolveValue(item, context, conditions);
      if (resolved instanceof Unresolved) return resolved;
      if (resolved !== NO_VALUE) out.push(resolved);
    }
    return out;
  }
  if (!isJsonObject(value)) return value;
  const name = intrinsicOf(value);
  if (name) return intrinsic(name, value[name], context, conditions);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const resolved = resolveValue(member, context, conditions);
    if (resolved instanceof Unresolved) return resolved;
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/**
 * As resolveValue, but a statement's Resource / NotResource that cannot be resolved is kept as a readable marker
 * (bucketguard's exposure analysis never reads them): used for policy documents, where an unresolved principal,
 * action or condition still makes the whole policy unknown.
 */
export function resolvePolicyDocument(value: unknown, context: TemplateContext): unknown {
  if (!isJsonObject(value)) return resolveValue(value, context);
  const statements = value.Statement;
  const withMarkers = (statement: unknown): unknown => {
    if (!isJsonObject(statement)) return statement;
    const copy: Record<string, unknown> = { ...statement };
    for (const key of ['Resource', 'NotResource']) {
      if (copy[key] === undefined) continue;
      const resolved = resolveValue(copy[key], context);
      copy[key] = resolved instanceof Unresolved ? `<unresolved: ${resolved.reason}>` : resolved;
    }
    return copy;
  };
  const rewritten = Array.isArray(statements) ? statements.map(withMarkers) : withMarkers(statements);
  return resolveValue({ ...value, Statement: rewritten }, context);
}
