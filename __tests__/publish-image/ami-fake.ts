/**
 * A small, strict EC2 + SSM world for the AMI engine's tests, behind aws-sdk-client-mock: one
 * mocked client instance per region (so calls are told apart by region), state that persists
 * across runs (so a re-run sees what the first run made), and any command it does not model
 * rejected. Time is a fake clock that the injected sleep advances.
 */
import {
  CopyImageCommand,
  CreateStoreImageTaskCommand,
  CreateTagsCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeStoreImageTasksCommand,
  EC2Client,
  EnableImageDeprecationCommand,
  GetEbsDefaultKmsKeyIdCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  type CreateVolumePermission,
  type Image,
  type LaunchPermission,
  type Snapshot,
  type StoreImageTaskResult,
  type Tag,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, PutParameterCommand, SSMClient, type Parameter } from '@aws-sdk/client-ssm';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import type { AmiDeps, AmiPublishOptions } from '../../src/publish-image/ami.js';

export const ACCOUNT = '111122223333';
export const SOURCE = 'ami-0123456789abcdef0';
export const START = Date.parse('2025-03-01T12:00:00.000Z');

type Stub = AwsStub<any, any, any>;
type CommandClass = new (...args: any[]) => { input: object };
type InputOf<C extends CommandClass> = InstanceType<C>['input'];

export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

interface Copying {
  pendingPolls: number;
  invisiblePolls: number;
  outcome: 'available' | 'failed';
  reason?: string;
}

interface RegionState {
  images: Image[];
  snapshots: Snapshot[];
  launch: Map<string, LaunchPermission[]>;
  volume: Map<string, CreateVolumePermission[]>;
  /** CopyImage client token → the parameters it was first sent with and the image it made. */
  tokens: Map<string, { params: string; imageId: string }>;
  /** Deregistered images still listed (as deregistered) for this many more DescribeImages calls. */
  lingering: Map<string, number>;
  copying: Map<string, Copying>;
  storeTasks: (StoreImageTaskResult & { pollsLeft: number; fails?: string })[];
  params: Map<
    string,
    Parameter & { pending?: { value: string; version: number; readsLeft: number; dataType: string } }
  >;
  /** How the next copy made in this region behaves. */
  copyPlan: Copying;
  storePlan: { polls: number; fails?: string };
  /** Reads before a put to SSM shows; Infinity: Parameter Store rejects it. */
  ssmLag: number;
  /** EBS encryption by default: every copy comes out encrypted with the default key. */
  encryptByDefault: boolean;
  /**
   * The default EBS KMS key (ModifyEbsDefaultKmsKeyId): a customer managed key's ARN, or
   * undefined for the AWS managed key aws/ebs. Copies encrypted without a KmsKeyId use it.
   */
  defaultKmsKey?: string;
  /** command name → errors to throw first. */
  faults: Map<string, Error[]>;
}

function mergeTags(target: { Tags?: Tag[] }, tags: Tag[]): void {
  const merged = new Map((target.Tags ?? []).map((t) => [t.Key, t.Value]));
  for (const t of tags) merged.set(t.Key, t.Value);
  target.Tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export class FakeAws {
  now = START;
  readonly logs: string[] = [];
  readonly sleeps: number[] = [];
  private readonly state = new Map<string, RegionState>();
  private readonly ec2Mocks = new Map<string, Stub>();
  private readonly ssmMocks = new Map<string, Stub>();
  private readonly ec2Clients = new Map<string, EC2Client>();
  private readonly ssmClients = new Map<string, SSMClient>();
  private counter = 0;

  region(region: string): RegionState {
    let s = this.state.get(region);
    if (!s) {
      s = {
        images: [],
        snapshots: [],
        launch: new Map(),
        volume: new Map(),
        tokens: new Map(),
        lingering: new Map(),
        copying: new Map(),
        storeTasks: [],
        params: new Map(),
        copyPlan: { pendingPolls: 2, invisiblePolls: 0, outcome: 'available' },
        storePlan: { polls: 2 },
        ssmLag: 0,
        encryptByDefault: false,
        faults: new Map(),
      };
      this.state.set(region, s);
    }
    return s;
  }

  private id(prefix: string): string {
    this.counter++;
    return `${prefix}-${this.counter.toString(16).padStart(17, '0')}`;
  }

  /** Adds an available AMI with one snapshot per device. */
  addImage(
    region: string,
    image: Partial<Image> & { ImageId: string },
    encrypted = false,
    kmsKeyId?: string,
  ): Image {
    const devices = ['/dev/xvda', '/dev/xvdb'];
    const full: Image = {
      Name: 'golden-1.2.0',
      State: 'available',
      OwnerId: ACCOUNT,
      CreationDate: new Date(START - 3_600_000).toISOString(),
      BlockDeviceMappings: devices.map((DeviceName) => {
        const SnapshotId = this.id('snap');
        this.region(region).snapshots.push({
          SnapshotId,
          Encrypted: encrypted,
          KmsKeyId: kmsKeyId,
          Tags: [],
        });
        return { DeviceName, Ebs: { SnapshotId, Encrypted: encrypted } };
      }),
      ...image,
    };
    this.region(region).images.push(full);
    return full;
  }

  image(region: string, imageId: string): Image | undefined {
    return this.region(region).images.find((i) => i.ImageId === imageId);
  }

  snapshot(region: string, snapshotId: string): Snapshot | undefined {
    return this.region(region).snapshots.find((s) => s.SnapshotId === snapshotId);
  }

  /**
   * Deregisters an AMI as EC2 does: it shows as deregistered for `lingerCalls` more DescribeImages
   * calls in the region, then is not listed at all. Its snapshots stay; its client token still
   * answers with its id.
   */
  deregister(region: string, imageId: string, lingerCalls = 0): void {
    const s = this.region(region);
    const image = this.image(region, imageId);
    if (!image) throw new Error(`no ${imageId} in ${region}`);
    image.State = 'deregistered';
    s.lingering.set(imageId, lingerCalls);
    if (lingerCalls <= 0) this.forget(region, imageId);
  }

  /** Disables an AMI: DescribeImages then lists it only when asked with IncludeDisabled. */
  disable(region: string, imageId: string): void {
    const image = this.image(region, imageId);
    if (!image) throw new Error(`no ${imageId} in ${region}`);
    image.State = 'disabled';
  }

  private forget(region: string, imageId: string): void {
    const s = this.region(region);
    s.images = s.images.filter((i) => i.ImageId !== imageId);
    s.lingering.delete(imageId);
    s.copying.delete(imageId);
  }

  /** One DescribeImages call passes: deregistered images linger one call less. */
  private tick(region: string): void {
    for (const [id, left] of this.region(region).lingering) {
      if (left <= 0) this.forget(region, id);
      else this.region(region).lingering.set(id, left - 1);
    }
  }

  /** The ARN of the AWS managed key aws/ebs in the region (the fake's stand-in). */
  awsManagedKey(region: string): string {
    return `arn:aws:kms:${region}:${ACCOUNT}:key/aws-managed-ebs`;
  }

  /** The key ARN EC2 records on a snapshot for a KmsKeyId given as an ARN, a key id or an alias. */
  keyArn(region: string, keyId: string): string {
    if (/^arn:[^:]+:kms:[^:]*:\d{12}:key\//.test(keyId)) return keyId;
    const alias = /^(?:arn:[^:]+:kms:[^:]*:\d{12}:)?alias\/(.+)$/.exec(keyId)?.[1];
    if (alias === 'aws/ebs') return this.awsManagedKey(region);
    if (alias !== undefined)
      return `arn:aws:kms:${region}:${ACCOUNT}:key/for-alias-${alias.replace(/\//g, '-')}`;
    return `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
  }

  /** The next calls of `command` in `region` throw these errors first. */
  fail(region: string, command: string, ...errors: Error[]): void {
    this.region(region).faults.set(command, errors);
  }

  /** The inputs of every call of a command, as sent, with their region. */
  calls<C extends CommandClass>(command: C, region?: string): { region: string; input: InputOf<C> }[] {
    const out: { region: string; input: InputOf<C> }[] = [];
    const mocks =
      command.name === 'GetParameterCommand' || command.name === 'PutParameterCommand'
        ? this.ssmMocks
        : this.ec2Mocks;
    for (const [r, mock] of mocks) {
      if (region !== undefined && r !== region) continue;
      for (const call of mock.commandCalls(command as never))
        out.push({ region: r, input: call.args[0].input as InputOf<C> });
    }
    return out;
  }

  /** Names of every EC2/SSM command called, in any region, in call order per region. */
  commandNames(region: string): string[] {
    const names = [
      ...(this.ec2Mocks.get(region)?.calls() ?? []),
      ...(this.ssmMocks.get(region)?.calls() ?? []),
    ].map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));
    return names;
  }

  /** Forgets the calls made so far (state stays), so a re-run's calls can be asserted alone. */
  resetCalls(): void {
    for (const mock of [...this.ec2Mocks.values(), ...this.ssmMocks.values()]) mock.resetHistory();
    this.logs.length = 0;
  }

  deps(extra: Partial<AmiDeps> = {}): AmiDeps {
    return {
      ec2: (region) => this.ec2Client(region),
      ssm: (region) => this.ssmClient(region),
      log: (message) => void this.logs.push(message),
      sleep: async (ms) => {
        this.sleeps.push(ms);
        this.now += ms;
      },
      now: () => this.now,
      pollIntervalMs: 15_000,
      ...extra,
    };
  }

  private fault(region: string, command: string): void {
    const error = this.region(region).faults.get(command)?.shift();
    if (error) throw error;
  }

  private ec2Client(region: string): EC2Client {
    let client = this.ec2Clients.get(region);
    if (client) return client;
    client = new EC2Client({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    this.ec2Clients.set(region, client);
    const mock = mockClient(client) as unknown as Stub;
    this.ec2Mocks.set(region, mock);
    const s = this.region(region);
    const on = <C extends CommandClass>(command: C, name: string, fn: (input: InputOf<C>) => object) =>
      mock.on(command as never).callsFake(async (input: InputOf<C>) => {
        this.fault(region, name);
        return fn(structuredClone(input));
      });
    mock.onAnyCommand().rejects(new Error(`the fake EC2 does not model this command in ${region}`));

    on(DescribeImagesCommand, 'DescribeImages', (input) => {
      this.tick(region);
      // Disabled AMIs are left out unless asked for with IncludeDisabled, by id too.
      const shown = (i: Image) => i.State !== 'disabled' || input.IncludeDisabled === true;
      if (input.ImageIds) {
        return {
          Images: input.ImageIds.map((id) => this.pollImage(region, id))
            .filter((i): i is Image => i !== undefined && shown(i))
            .map((i) => structuredClone(i)),
        };
      }
      const filter = input.Filters?.[0];
      if (input.Owners?.[0] !== 'self' || !filter?.Name?.startsWith('tag:'))
        throw new Error('unexpected DescribeImages');
      const key = filter.Name.slice(4);
      const images = s.images.filter(
        (i) =>
          i.OwnerId === ACCOUNT &&
          shown(i) &&
          i.Tags?.some((t) => t.Key === key && filter.Values?.includes(t.Value ?? '')) &&
          (s.copying.get(i.ImageId ?? '')?.invisiblePolls ?? 0) <= 0,
      );
      return { Images: structuredClone(images) };
    });
    on(CopyImageCommand, 'CopyImage', (input) => {
      const { ClientToken: token, ...rest } = input;
      const params = JSON.stringify(rest);
      const known = token ? s.tokens.get(token) : undefined;
      if (known && known.params !== params) {
        throw awsError(
          'IdempotentParameterMismatch',
          'The client token you have provided is associated with a resource that is already deleted or has different parameters.',
        );
      }
      // The same token and parameters answer with the image first made, even once it is gone.
      if (known) return { ImageId: known.imageId };
      const source = this.image(input.SourceRegion ?? '', input.SourceImageId ?? '');
      if (!source)
        throw awsError('InvalidAMIID.NotFound', `The image id '[${input.SourceImageId}]' does not exist`);
      const ImageId = this.id('ami');
      const encrypted =
        input.Encrypted === true ||
        s.encryptByDefault ||
        (source.BlockDeviceMappings ?? []).some((m) => m.Ebs?.Encrypted);
      const key = encrypted
        ? input.KmsKeyId !== undefined
          ? this.keyArn(region, input.KmsKeyId)
          : (s.defaultKmsKey ?? this.awsManagedKey(region))
        : undefined;
      const image: Image = {
        ImageId,
        Name: input.Name,
        Description: input.Description,
        State: 'pending',
        OwnerId: ACCOUNT,
        CreationDate: new Date(this.now).toISOString(),
        Tags: input.TagSpecifications?.find((t) => t.ResourceType === 'image')?.Tags ?? [],
        BlockDeviceMappings: (source.BlockDeviceMappings ?? []).map((m) => {
          const SnapshotId = this.id('snap');
          s.snapshots.push({
            SnapshotId,
            Encrypted: encrypted,
            KmsKeyId: key,
            Tags: [],
          });
          return { DeviceName: m.DeviceName, Ebs: { SnapshotId, Encrypted: encrypted } };
        }),
      };
      s.images.push(image);
      s.copying.set(ImageId, { ...s.copyPlan });
      if (token) s.tokens.set(token, { params, imageId: ImageId });
      return { ImageId };
    });
    on(CreateTagsCommand, 'CreateTags', (input) => {
      for (const id of input.Resources ?? []) {
        const target = id.startsWith('ami-') ? this.image(region, id) : this.snapshot(region, id);
        if (!target) throw awsError('InvalidID', `The ID '${id}' is not valid`);
        mergeTags(target, input.Tags ?? []);
      }
      return {};
    });
    on(DescribeSnapshotsCommand, 'DescribeSnapshots', (input) => ({
      Snapshots: (input.SnapshotIds ?? []).map((id) => {
        const snapshot = this.snapshot(region, id);
        if (!snapshot) throw awsError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
        return structuredClone(snapshot);
      }),
    }));
    on(DescribeImageAttributeCommand, 'DescribeImageAttribute', (input) => ({
      ImageId: input.ImageId,
      LaunchPermissions: structuredClone(s.launch.get(input.ImageId ?? '') ?? []),
    }));
    on(ModifyImageAttributeCommand, 'ModifyImageAttribute', (input) => {
      const list = s.launch.get(input.ImageId ?? '') ?? [];
      list.push(...(input.LaunchPermission?.Add ?? []));
      s.launch.set(input.ImageId ?? '', list);
      return {};
    });
    on(DescribeSnapshotAttributeCommand, 'DescribeSnapshotAttribute', (input) => ({
      SnapshotId: input.SnapshotId,
      CreateVolumePermissions: structuredClone(s.volume.get(input.SnapshotId ?? '') ?? []),
    }));
    on(ModifySnapshotAttributeCommand, 'ModifySnapshotAttribute', (input) => {
      const snapshot = this.snapshot(region, input.SnapshotId ?? '');
      if (snapshot?.KmsKeyId?.endsWith('/aws-managed-ebs')) {
        throw awsError('OperationNotPermitted', 'Encrypted snapshots with EBS default key cannot be shared');
      }
      const list = s.volume.get(input.SnapshotId ?? '') ?? [];
      list.push(...(input.CreateVolumePermission?.Add ?? []));
      s.volume.set(input.SnapshotId ?? '', list);
      return {};
    });
    on(GetEbsDefaultKmsKeyIdCommand, 'GetEbsDefaultKmsKeyId', () => ({
      // The AWS managed key is named by its alias; a customer managed default by its ARN.
      KmsKeyId: s.defaultKmsKey ?? 'alias/aws/ebs',
    }));
    on(EnableImageDeprecationCommand, 'EnableImageDeprecation', (input) => {
      const image = this.image(region, input.ImageId ?? '');
      if (!image || !input.DeprecateAt) throw awsError('InvalidAMIID.NotFound');
      image.DeprecationTime = input.DeprecateAt.toISOString();
      return { Return: true };
    });
    on(CreateStoreImageTaskCommand, 'CreateStoreImageTask', (input) => {
      const ObjectKey = `${input.ImageId}.bin`;
      s.storeTasks.push({
        AmiId: input.ImageId,
        Bucket: input.Bucket,
        S3objectKey: ObjectKey,
        StoreTaskState: 'InProgress',
        ProgressPercentage: 0,
        TaskStartTime: new Date(this.now),
        pollsLeft: s.storePlan.polls,
        fails: s.storePlan.fails,
      });
      return { ObjectKey };
    });
    on(DescribeStoreImageTasksCommand, 'DescribeStoreImageTasks', (input) => {
      const tasks = s.storeTasks.filter((t) => input.ImageIds?.includes(t.AmiId ?? ''));
      for (const task of tasks.filter((t) => t.StoreTaskState === 'InProgress')) {
        if (task.pollsLeft-- > 0) task.ProgressPercentage = Math.min(95, (task.ProgressPercentage ?? 0) + 20);
        else if (task.fails)
          Object.assign(task, { StoreTaskState: 'Failed', StoreTaskFailureReason: task.fails });
        else Object.assign(task, { StoreTaskState: 'Completed', ProgressPercentage: 100 });
      }
      return { StoreImageTaskResults: structuredClone(tasks).map(({ pollsLeft: _p, fails: _f, ...t }) => t) };
    });
    return client;
  }

  /**
   * DescribeImages by id: an id EC2 never knew throws as EC2 does, one no longer listed
   * (deregistered a while ago) is left out of the answer; a copy moves on one step per poll.
   */
  private pollImage(region: string, id: string): Image | undefined {
    const s = this.region(region);
    const image = this.image(region, id);
    const copying = s.copying.get(id);
    const made = [...s.tokens.values()].some((t) => t.imageId === id);
    if (!image && made) return undefined;
    if (!image || (copying && copying.invisiblePolls-- > 0)) {
      throw awsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
    }
    if (copying && image.State === 'pending' && copying.pendingPolls-- <= 0) {
      image.State = copying.outcome;
      if (copying.reason) image.StateReason = { Code: 'Client.Error', Message: copying.reason };
    }
    return image;
  }

  private ssmClient(region: string): SSMClient {
    let client = this.ssmClients.get(region);
    if (client) return client;
    client = new SSMClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    this.ssmClients.set(region, client);
    const mock = mockClient(client) as unknown as Stub;
    this.ssmMocks.set(region, mock);
    const s = this.region(region);
    mock.onAnyCommand().rejects(new Error(`the fake SSM does not model this command in ${region}`));
    mock.on(PutParameterCommand as never).callsFake(async (input: PutParameterCommand['input']) => {
      this.fault(region, 'PutParameter');
      const name = input.Name ?? '';
      const current = s.params.get(name);
      if (current && !input.Overwrite) throw awsError('ParameterAlreadyExists');
      const dataType = input.DataType ?? 'text';
      const currentType = current?.pending?.dataType ?? current?.DataType;
      if (currentType !== undefined && currentType !== dataType) {
        // "You can't change a parameter to or from" aws:ec2:image (or aws:ssm:integration).
        throw awsError(
          'ValidationException',
          `The parameter ${name} has data type ${currentType}, which cannot be changed to ${dataType}.`,
        );
      }
      const version = (current?.pending?.version ?? current?.Version ?? 0) + 1;
      const pending = { value: input.Value ?? '', version, readsLeft: s.ssmLag, dataType };
      s.params.set(name, { ...(current ?? { Name: name }), pending });
      return { Version: version, Tier: 'Standard' };
    });
    mock.on(GetParameterCommand as never).callsFake(async (input: GetParameterCommand['input']) => {
      this.fault(region, 'GetParameter');
      const param = s.params.get(input.Name ?? '');
      if (param?.pending && param.pending.readsLeft-- <= 0) {
        Object.assign(param, {
          Value: param.pending.value,
          Version: param.pending.version,
          DataType: param.pending.dataType,
        });
        delete param.pending;
      }
      if (!param || param.Value === undefined) throw awsError('ParameterNotFound');
      const { pending: _pending, ...visible } = param;
      return { Parameter: structuredClone(visible) };
    });
    return client;
  }
}

/** Options for a publish of SOURCE from us-east-1, with nothing optional set unless given. */
export function amiOptions(extra: Partial<AmiPublishOptions> = {}): AmiPublishOptions {
  return {
    amiId: SOURCE,
    sourceRegion: 'us-east-1',
    regions: ['eu-west-1', 'ap-southeast-2'],
    encrypted: false,
    kmsKeyIds: {},
    tags: { team: 'platform' },
    provenance: {
      repository: 'acme/golden',
      commit: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://github.com/acme/golden/actions/runs/42',
    },
    shareAccounts: [],
    shareOrganizations: [],
    shareOus: [],
    timeoutMinutes: 30,
    ...extra,
  };
}

/** A world with the source AMI available in us-east-1. */
export function worldWithSource(encrypted = false): FakeAws {
  const world = new FakeAws();
  world.addImage('us-east-1', { ImageId: SOURCE, Description: 'golden image 1.2.0' }, encrypted);
  return world;
}
