/**
 * How the Lambda code reaches every account and Region of an organization, without bootstrapping any of them.
 *
 * The member stack (today's BucketGuard stack) is not a deployment of its own: its template becomes the StackSets'
 * TemplateURL, and its Lambda code is referenced by a bucket-name PATTERN, `<assetBucketPrefix>-${AWS::Region}`,
 * so one template works in every Region. The deploying account (management or delegated administrator) holds one
 * asset bucket per target Region (BucketGuardAssets-<region> stacks, readable by the organization only), and
 * `cdk deploy` itself publishes every asset to each of them: the security stack's asset manifest lists one
 * destination per Region (bucket, key, Region) with no role to assume, so the deployer's own credentials upload.
 *
 * The same idea as cdklabs' cdk-stacksets (per-Region buckets named `<prefix>-<region>`), which copies the assets
 * with an s3-deployment custom resource (a Lambda in the deploying stack) per bucket instead; here the CDK CLI's
 * own asset publishing does it, with nothing deployed for it and no bootstrap stack in any Region.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AssetManifestBuilder,
  Aws,
  type DockerImageAssetLocation,
  type DockerImageAssetSource,
  type FileAssetLocation,
  FileAssetPackaging,
  type FileAssetSource,
  Fn,
  type ISynthesisSession,
  Lazy,
  StackSynthesizer,
} from 'aws-cdk-lib';

/** What the TemplateURL resolves to before the member stack is synthesized (never in a written template). */
export const PENDING_TEMPLATE_URL = 'https://member-template.not-yet-synthesized.invalid/template.json';

export function assetBucketName(prefix: string, region: string): string {
  return `${prefix}-${region}`;
}

function objectKeyOf(asset: FileAssetSource): string {
  if (!asset.fileName || !asset.packaging) throw new Error('bucketguard: only file and directory assets are supported');
  return `${asset.sourceHash}${asset.packaging === FileAssetPackaging.ZIP_DIRECTORY ? '.zip' : path.extname(asset.fileName)}`;
}

/**
 * The security stack's synthesizer: its own assets (and the member templates) go to the home Region's asset
 * bucket; member assets go to every target Region's. No bootstrap: no roles, no BootstrapVersion check.
 */
export class OrganizationSynthesizer extends StackSynthesizer {
  private readonly manifest = new AssetManifestBuilder();

  constructor(
    readonly assetBucketPrefix: string,
    readonly homeRegion: string,
  ) {
    super();
  }

  private add(asset: FileAssetSource, region: string): { bucketName: string; objectKey: string } {
    const dest = { bucketName: assetBucketName(this.assetBucketPrefix, region), objectKey: objectKeyOf(asset), region };
    this.manifest.addFileAsset(
      this.boundStack,
      asset.sourceHash,
      { path: asset.fileName as string, packaging: asset.packaging },
      dest,
      asset.displayName ? { displayName: asset.displayName } : undefined,
    );
    return dest;
  }

  addFileAsset(asset: FileAssetSource): FileAssetLocation {
    const { bucketName, objectKey } = this.add(asset, this.homeRegion);
    const httpUrl = `https://${bucketName}.s3.${this.homeRegion}.${Aws.URL_SUFFIX}/${objectKey}`;
    return { bucketName, objectKey, httpUrl, s3ObjectUrl: `s3://${bucketName}/${objectKey}` };
  }

  /** A member stack's asset, published to the asset bucket of every Region in `regions`. */
  addMemberAsset(asset: FileAssetSource, regions: readonly string[]): void {
    for (const region of regions) this.add(asset, region);
  }

  addDockerImageAsset(_asset: DockerImageAssetSource): DockerImageAssetLocation {
    throw new Error('bucketguard: the organization deployment has no container images');
  }

  synthesize(session: ISynthesisSession): void {
    this.synthesizeTemplate(session);
    const manifestId = this.manifest.emitManifest(this.boundStack, session);
    this.emitArtifact(session, { additionalDependencies: [manifestId] });
  }
}

/**
 * A member stack's synthesizer: assets resolve to `<prefix>-${AWS::Region}` (the Region the StackSet instance is
 * in) and are published by the parent; the template is written to the cloud assembly and registered as a file asset
 * of the parent (its TemplateURL), never emitted as a stack of its own (not in `cdk list`, not deployable).
 */
export class MemberStackSynthesizer extends StackSynthesizer {
  private templateUrl?: string;

  constructor(
    private readonly parent: OrganizationSynthesizer,
    private readonly regions: readonly string[],
  ) {
    super();
  }

  addFileAsset(asset: FileAssetSource): FileAssetLocation {
    this.parent.addMemberAsset(asset, this.regions);
    const bucketName = Fn.join('-', [this.parent.assetBucketPrefix, Aws.REGION]);
    const objectKey = objectKeyOf(asset);
    return {
      bucketName,
      objectKey,
      httpUrl: `https://${bucketName}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}/${objectKey}`,
      s3ObjectUrl: `s3://${bucketName}/${objectKey}`,
    };
  }

  addDockerImageAsset(_asset: DockerImageAssetSource): DockerImageAssetLocation {
    throw new Error('bucketguard: StackSet member stacks cannot use container images');
  }

  /**
   * The member template's URL in the home Region's asset bucket, known once the member is synthesized (children
   * synthesize before their parent stack; checks that resolve the parent earlier, such as cdk-nag, see a placeholder).
   */
  get memberTemplateUrl(): string {
    return Lazy.uncachedString({ produce: () => this.templateUrl ?? PENDING_TEMPLATE_URL });
  }

  synthesize(session: ISynthesisSession): void {
    // Children synthesize before their parent stack: the parent's manifest still takes this asset.
    this.synthesizeTemplate(session);
    const file = this.boundStack.templateFile;
    const body = fs.readFileSync(path.join(session.assembly.outdir, file));
    this.templateUrl = this.parent.addFileAsset({
      sourceHash: crypto.createHash('sha256').update(body).digest('hex'),
      fileName: file,
      packaging: FileAssetPackaging.FILE,
    }).httpUrl;
  }
}
