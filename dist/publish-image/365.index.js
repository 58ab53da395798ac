export const id = 365;
export const ids = [365];
export const modules = {

/***/ 9365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseAccountIds: () => (/* reexport */ ami_inputs/* parseAccountIds */.l$),
  parseOrganizationArns: () => (/* reexport */ ami_inputs/* parseOrganizationArns */.Du),
  parseOuArns: () => (/* reexport */ ami_inputs/* parseOuArns */.A9),
  publishAmi: () => (/* binding */ publishAmi)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(5193);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/aws.ts
var aws = __webpack_require__(6302);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
;// CONCATENATED MODULE: ./src/publish-image/ami-context.ts


const DEFAULT_POLL_INTERVAL_MS = 15_000;
/** Tries of `ctx.call`, on top of the SDK client's own retries. */
const CALL_ATTEMPTS = 3;
function makeContext(options, deps) {
    const sleep = deps.sleep ?? retry/* realSleep */.uk;
    const now = deps.now ?? Date.now;
    return {
        options,
        ec2: deps.ec2,
        ssm: deps.ssm,
        log: deps.log,
        sleep,
        now,
        deadline: now() + options.timeoutMinutes * 60_000,
        pollIntervalMs: deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        // Every client already retries throttling itself (clientConfig: adaptive mode, 8 attempts, with
        // client-side rate limiting), so these tries multiply its attempts: 3 of them only catch the
        // rare throttle that outlasts the SDK's retries, as a burst of parallel polls can, without
        // turning one call into dozens of requests.
        call: (label, fn) => (0,retry/* retry */.L5)(fn, {
            label,
            attempts: CALL_ATTEMPTS,
            baseDelayMs: 1000,
            retryable: aws/* isThrottling */.E2,
            sleep,
            log: deps.log,
        }),
    };
}
/**
 * Sleeps until the next poll, or throws `timedOut()` once the deadline has passed. The last poll
 * happens at the deadline itself, so a wait never ends early by up to one interval.
 */
async function nextPoll(ctx, timedOut) {
    const left = ctx.deadline - ctx.now();
    if (left <= 0)
        throw timedOut();
    await ctx.sleep(Math.min(ctx.pollIntervalMs, left));
}
/** `45s`, `2m10s`, `1h05m`. */
function formatElapsed(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 60)
        return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
    return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
/** The snapshots an AMI's block device mappings point at, in mapping order. */
function snapshotIdsOf(image) {
    return (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}
function isEncrypted(image) {
    return (image.BlockDeviceMappings ?? []).some((m) => m.Ebs?.Encrypted === true);
}
function errorName(error) {
    return error?.name ?? '';
}

// EXTERNAL MODULE: ./src/publish-image/ami-inputs.ts
var ami_inputs = __webpack_require__(7714);
;// CONCATENATED MODULE: ./src/publish-image/ami-copy.ts
/**
 * The source AMI checked, and one copy per target region: found again by its tag when a run is
 * repeated (and then checked against what the inputs ask for), otherwise made with CopyImage and
 * a client token hashed from every parameter, then waited for.
 */




/** DescribeImages by id answers with one of these for an id it does not (yet) know. */
const NOT_FOUND = new Set(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable', 'InvalidAMIID.Malformed']);
/** States a copy never leaves. */
const FAILED_STATES = new Set(['failed', 'error', 'invalid', 'deregistered', 'disabled']);
/** States of an image a client token named that make the token useless: its image is gone. */
const GONE_STATES = new Set(['deregistered', 'disabled']);
/**
 * How long the image CopyImage answered with may stay unknown to DescribeImages (eventual
 * consistency) before it counts as gone: a token that named a copy since deregistered is answered
 * with that copy's id, which EC2 no longer lists.
 */
const COPY_VISIBILITY_GRACE_MS = 120_000;
/** Client-token generations one run tries in a region before it gives up. */
const MAX_GENERATIONS = 3;
/** The image with that id in that region, or undefined when EC2 does not know it. */
async function describeImage(ctx, region, imageId) {
    try {
        const answer = await ctx.call(`${region}: describe ${imageId}`, () => ctx
            .ec2(region)
            .send(new dist_cjs.DescribeImagesCommand({ ImageIds: [imageId], IncludeDeprecated: true, IncludeDisabled: true })));
        return answer.Images?.find((image) => image.ImageId === imageId);
    }
    catch (error) {
        if (NOT_FOUND.has(errorName(error)))
            return undefined;
        throw error;
    }
}
/** The source AMI, which must exist in source-region and be available: otherwise a UserError, before any copy. */
async function describeSource(ctx) {
    const { amiId, sourceRegion } = ctx.options;
    let image;
    try {
        image = await describeImage(ctx, sourceRegion, amiId);
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`describe the source AMI ${amiId} in ${sourceRegion}`, error);
    }
    if (!image) {
        throw new errors/* UserError */.yo(`The source AMI ${amiId} was not found in source-region ${sourceRegion}: check the id, that the AMI lives in ${sourceRegion}, and that this account owns it or it is shared with it.`);
    }
    if (image.State !== 'available') {
        throw new errors/* UserError */.yo(`The source AMI ${amiId} in ${sourceRegion} is ${image.State ?? 'in no known state'}, not available${image.StateReason?.Message ? ` (${image.StateReason.Message})` : ''}: publish it once it is available.`);
    }
    return image;
}
function newestFirst(a, b) {
    return (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '');
}
/** The CopyImage parameters the options ask for in `region`. */
function copyParameters(ctx, region, source) {
    const { amiId, sourceRegion, kmsKeyIds, encrypted } = ctx.options;
    const kmsKeyId = kmsKeyIds[region];
    return {
        sourceImageId: amiId,
        sourceRegion,
        region,
        name: ctx.options.name ?? source.Name ?? amiId,
        description: source.Description || `${amiId} from ${sourceRegion}, copied by imagepipe`,
        encrypted: encrypted || kmsKeyId !== undefined,
        ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    };
}
/**
 * How a copy found by tag differs from the copy the inputs ask for: its name, and, when
 * encryption is asked for, each snapshot's encryption and (when kms-key-ids names a key for the
 * region) its key. Without `snapshots` (a copy still pending) only what DescribeImages shows is
 * compared. A copy that is encrypted while encryption is not asked for is fine: an encrypted
 * source or encryption by default would make a new copy encrypted too.
 */
function copyMismatches(image, wanted, snapshots) {
    const out = [];
    if (image.Name !== wanted.name) {
        out.push(`its name is ${JSON.stringify(image.Name ?? '')}, not ${JSON.stringify(wanted.name)}`);
    }
    if (!wanted.encrypted)
        return out;
    const ids = snapshotIdsOf(image);
    const plain = snapshots
        ? ids.filter((id) => snapshots.find((s) => s.SnapshotId === id)?.Encrypted !== true)
        : (image.BlockDeviceMappings ?? []).flatMap((m) => m.Ebs?.SnapshotId && m.Ebs.Encrypted === false ? [m.Ebs.SnapshotId] : []);
    if (plain.length > 0) {
        out.push(`${plain.length === 1 ? 'its snapshot' : 'its snapshots'} ${plain.join(', ')} ${plain.length === 1 ? 'is' : 'are'} not encrypted, but encrypted or kms-key-ids asks for encryption`);
        return out;
    }
    const key = wanted.kmsKeyId;
    if (key === undefined || !snapshots)
        return out;
    for (const id of ids) {
        const actual = snapshots.find((s) => s.SnapshotId === id)?.KmsKeyId;
        if (!(0,ami_inputs/* kmsKeyMatches */.MW)(key, actual)) {
            out.push(`its snapshot ${id} is encrypted with ${actual ?? 'a key EC2 does not name'}, not with ${key} from kms-key-ids`);
        }
    }
    return out;
}
/** The UserError for a copy found by tag that is not what the inputs ask for. Such a copy is never shared. */
function mismatchError(region, image, amiId, differences) {
    const id = image.ImageId ?? '';
    return new errors/* UserError */.yo(`The copy ${id} of ${amiId} in ${region}, found by its ${ami_inputs/* SOURCE_AMI_TAG */.dG} tag, was made with other inputs: ${differences.join('; ')}. It is neither reused nor shared: deregister it (aws ec2 deregister-image --region ${region} --image-id ${id}, and delete its snapshots) so that a re-run copies again, or change the inputs back to those it was made with.`);
}
/** A copy found by tag is checked again once its snapshots are known. */
function checkFoundCopy(region, copy, amiId, snapshots) {
    if (copy.status !== 'existing')
        return;
    const differences = copyMismatches(copy.image, copy.wanted, snapshots);
    if (differences.length > 0)
        throw mismatchError(region, copy.image, amiId, differences);
}
/** The image a client token named is gone: the next generation's token is tried. */
class CopyGone extends Error {
}
/**
 * The copy of the source in `region`: an available one found by tag is reused, a pending one is
 * waited for, and only when there is neither is a new copy made. A copy found that was made with
 * other inputs fails the region (see mismatchError). `onImageId` hears the id as soon as it is
 * known, so a failure later can still name it.
 */
async function copyToRegion(ctx, region, source, onImageId) {
    const { amiId, sourceRegion } = ctx.options;
    const ec2 = ctx.ec2(region);
    const wanted = copyParameters(ctx, region, source);
    const found = await ctx
        .call(`${region}: look for copies of ${amiId}`, () => ec2.send(new dist_cjs.DescribeImagesCommand({
        Owners: ['self'],
        IncludeDeprecated: true,
        // A disabled copy is hidden otherwise, and must still count as a failed generation.
        IncludeDisabled: true,
        Filters: [{ Name: `tag:${ami_inputs/* SOURCE_AMI_TAG */.dG}`, Values: [amiId] }],
    })))
        .catch((error) => {
        throw (0,errors/* wrapError */.J4)(`look for existing copies of ${amiId} in ${region}`, error);
    });
    const copies = (found.Images ?? []).sort(newestFirst);
    // A matching copy first, then an available one before a pending one, then the newest.
    const rank = (image) => (copyMismatches(image, wanted).length > 0 ? 2 : 0) + (image.State === 'available' ? 0 : 1);
    const reusable = copies
        .filter((image) => image.State === 'available' || image.State === 'pending')
        .sort((a, b) => rank(a) - rank(b))[0];
    const startedAt = ctx.now();
    if (reusable?.ImageId) {
        onImageId(reusable.ImageId);
        ctx.log(`${region}: found ${reusable.ImageId}, a copy of ${amiId} made earlier (${reusable.State})`);
        const differences = copyMismatches(reusable, wanted);
        if (differences.length > 0)
            throw mismatchError(region, reusable, amiId, differences);
        const image = reusable.State === 'available'
            ? reusable
            : await waitForImage(ctx, region, reusable.ImageId, startedAt);
        return { image, status: 'existing', wanted };
    }
    for (const disabled of copies.filter((image) => image.State === 'disabled')) {
        ctx.log(`${region}: ${disabled.ImageId}, a copy of ${amiId} made earlier, is disabled: not reused (enable it again to have it reused)`);
    }
    const { name, kmsKeyId, encrypted } = wanted;
    let generation = copies.filter((image) => FAILED_STATES.has(image.State ?? '')).length;
    for (let tries = 1;; tries++, generation++) {
        const token = (0,ami_inputs/* copyClientToken */.MN)(wanted, generation);
        let imageId;
        try {
            const copied = await ctx.call(`${region}: copy ${amiId}`, () => ec2.send(new dist_cjs.CopyImageCommand({
                SourceImageId: amiId,
                SourceRegion: sourceRegion,
                Name: name,
                Description: wanted.description,
                ...(encrypted ? { Encrypted: true } : {}),
                ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
                ClientToken: token,
                TagSpecifications: [
                    {
                        ResourceType: 'image',
                        Tags: Object.entries((0,ami_inputs/* identityTags */._z)(ctx.options)).map(([Key, Value]) => ({ Key, Value })),
                    },
                ],
            })));
            imageId = copied.ImageId;
        }
        catch (error) {
            if (errorName(error) === 'IdempotentParameterMismatch' && tries < MAX_GENERATIONS) {
                ctx.log(`${region}: the client token of generation ${generation} was used before with other parameters (IdempotentParameterMismatch): copying with the next generation's token`);
                continue;
            }
            throw (0,errors/* wrapError */.J4)(`copy ${amiId} to ${region}`, error);
        }
        if (!imageId)
            throw new Error(`Could not copy ${amiId} to ${region}: CopyImage returned no image id`);
        onImageId(imageId);
        ctx.log(`${region}: copying ${amiId} from ${sourceRegion} as ${imageId} (${name}${encrypted ? `, encrypted with ${kmsKeyId ?? 'the default EBS key'}` : ''})`);
        try {
            const image = await waitForImage(ctx, region, imageId, startedAt, ctx.now());
            return { image, status: 'copied', wanted };
        }
        catch (error) {
            if (!(error instanceof CopyGone))
                throw error;
            if (tries >= MAX_GENERATIONS) {
                throw new Error(`Could not copy ${amiId} to ${region} with ${MAX_GENERATIONS} client tokens: ${error.message}. EC2 answers a token with the copy it first made, even once that copy is deregistered or disabled; a re-run starts again from the copies it finds.`);
            }
            ctx.log(`${region}: ${error.message}: copying with the next generation's client token`);
        }
    }
}
/**
 * Polls until the copy is available, logging its state each time. A failed copy throws with
 * EC2's reason; a copy still pending at the deadline throws naming timeout-minutes. Right after
 * CopyImage the new id can be unknown for a while (eventual consistency): that counts as pending.
 * `copiedAt`, for an id CopyImage just answered with, marks it as possibly a token's old copy:
 * deregistered or disabled, or never seen within COPY_VISIBILITY_GRACE_MS, it throws CopyGone.
 */
async function waitForImage(ctx, region, imageId, startedAt, copiedAt) {
    let seen = false;
    for (;;) {
        let image;
        try {
            image = await describeImage(ctx, region, imageId);
        }
        catch (error) {
            throw (0,errors/* wrapError */.J4)(`follow the copy ${imageId} in ${region}`, error);
        }
        const state = image?.State ?? 'not visible yet';
        if (image && state === 'available') {
            ctx.log(`${region}: ${imageId} available (${formatElapsed(ctx.now() - startedAt)})`);
            return image;
        }
        if (copiedAt !== undefined && !seen) {
            if (image && GONE_STATES.has(state)) {
                throw new CopyGone(`CopyImage answered with ${imageId}, an earlier copy that is ${state}`);
            }
            if (!image && ctx.now() - copiedAt >= COPY_VISIBILITY_GRACE_MS) {
                throw new CopyGone(`CopyImage answered with ${imageId}, which EC2 still did not list after ${formatElapsed(ctx.now() - copiedAt)} (an earlier copy, deregistered since)`);
            }
        }
        if (image)
            seen = true;
        if (FAILED_STATES.has(state)) {
            throw new Error(`The copy ${imageId} in ${region} is ${state}: ${image?.StateReason?.Message || 'EC2 gave no reason'}.`);
        }
        ctx.log(`${region}: ${imageId} ${state} (${formatElapsed(ctx.now() - startedAt)})`);
        await nextPoll(ctx, () => new Error(`The copy ${imageId} in ${region} was still ${state} when timeout-minutes (${ctx.options.timeoutMinutes}) ran out; it goes on in AWS, and a re-run picks it up.`));
    }
}

;// CONCATENATED MODULE: ./src/publish-image/ami-share.ts
/**
 * Launch permissions for accounts, organizations and OUs, and, when share-snapshots asks for it,
 * the snapshots' createVolumePermission for the accounts. Only what is missing is added, so a
 * re-run changes nothing. An AMI encrypted with the AWS managed key alias/aws/ebs cannot be used
 * by anyone else, so sharing one is refused, before it is even copied when that is known.
 */




function sharingRequested(options) {
    return options.shareAccounts.length + options.shareOrganizations.length + options.shareOus.length > 0;
}
/**
 * The region's default EBS KMS key, as GetEbsDefaultKmsKeyId names it: `alias/aws/ebs` while it
 * is the AWS managed key, else the ARN of the customer managed key ModifyEbsDefaultKmsKeyId set.
 * CopyImage encrypts with it when no KmsKeyId is given.
 */
async function defaultEbsKey(ctx, region) {
    try {
        const answer = await ctx.call(`${region}: read the default EBS KMS key`, () => ctx.ec2(region).send(new dist_cjs.GetEbsDefaultKmsKeyIdCommand({})));
        return answer.KmsKeyId ?? 'alias/aws/ebs';
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`read the default EBS KMS key of ${region} (ec2:GetEbsDefaultKmsKeyId)`, error);
    }
}
/**
 * The refusal to share a copy encrypted with the AWS managed key, or undefined when sharing is
 * fine. Asked before copying (`copy` undefined: `encrypted` says whether the copy would be
 * encrypted) and again once the copy exists (its snapshots known), for a region that encrypts
 * every new volume by default or a copy found from an earlier run. A key named in kms-key-ids is
 * refused only when it is alias/aws/ebs: a key id or ARN is taken to be customer managed
 * (telling an AWS managed key's ARN apart needs kms:DescribeKey, and this engine has no KMS
 * client). With no key named, the copy uses the region's default EBS key (`defaultKey`, asked
 * only then), refused when that is the AWS managed key.
 */
async function awsManagedKeyRefusal(ctx, region, encrypted, defaultKey, copy) {
    if (!encrypted || !sharingRequested(ctx.options))
        return undefined;
    const key = ctx.options.kmsKeyIds[region];
    const fix = `set kms-key-ids for ${region} to a customer managed KMS key whose key policy lets the share-accounts, share-organizations and share-ous principals use it`;
    if (key !== undefined) {
        if (!(0,ami_inputs/* isAwsManagedEbsKey */.yC)(key))
            return undefined;
        return new errors/* UserError */.yo(`The copy in ${region} would be encrypted with the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}.`);
    }
    const byDefault = await defaultKey();
    const madeId = copy?.image.ImageId;
    if ((0,ami_inputs/* isAwsManagedEbsKey */.yC)(byDefault)) {
        return new errors/* UserError */.yo(madeId === undefined
            ? `The copy in ${region} would be encrypted with the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}.`
            : `The copy ${madeId} in ${region} is encrypted with the region's default EBS key, the AWS managed key alias/aws/ebs, which cannot be shared with other accounts: ${fix}, and deregister ${madeId} so that a re-run copies again.`);
    }
    // Not the alias: the ARN of the customer managed key the account chose as its default. A copy
    // made while another default was set may use another key, which cannot be judged here.
    const others = [
        ...new Set((copy?.snapshots ?? [])
            .filter((s) => s.Encrypted && s.KmsKeyId !== byDefault)
            .map((s) => s.KmsKeyId ?? '?')),
    ];
    if (madeId !== undefined && others.length > 0) {
        ctx.log(`${region}: ${madeId} is encrypted with ${others.join(', ')}, not the region's default EBS key ${byDefault}: if that is the AWS managed key aws/ebs, the shared accounts cannot use ${madeId}`);
    }
    return undefined;
}
function describeShares(accounts, organizations, ous) {
    const parts = [
        [accounts, 'account'],
        [organizations, 'organization'],
        [ous, 'OU'],
    ];
    return parts
        .filter(([count]) => count > 0)
        .map(([count, what]) => `${count} ${what}${count === 1 ? '' : 's'}`)
        .join(', ');
}
/**
 * Shares the AMI as the options ask; returns whether anything was asked. Launch permission is
 * all another account needs to launch the AMI, its snapshots unshared; with share-snapshots the
 * accounts also get createVolumePermission on every snapshot, which they need to copy the AMI.
 * `isCopy` is false for the source AMI published in place, whose key we did not choose: if it is
 * the AWS managed key, sharing its snapshots fails with AWS's own message, and launches by the
 * shared principals would fail later, which is why the log says so.
 */
async function shareImage(ctx, region, image, isCopy) {
    const { shareAccounts, shareOrganizations, shareOus, shareSnapshots = false } = ctx.options;
    if (!sharingRequested(ctx.options))
        return false;
    const imageId = image.ImageId ?? '';
    const ec2 = ctx.ec2(region);
    try {
        const current = await ctx.call(`${region}: read the launch permissions of ${imageId}`, () => ec2.send(new dist_cjs.DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' })));
        const have = current.LaunchPermissions ?? [];
        const add = [
            ...shareAccounts.filter((id) => !have.some((p) => p.UserId === id)).map((UserId) => ({ UserId })),
            ...shareOrganizations
                .filter((arn) => !have.some((p) => p.OrganizationArn === arn))
                .map((OrganizationArn) => ({ OrganizationArn })),
            ...shareOus
                .filter((arn) => !have.some((p) => p.OrganizationalUnitArn === arn))
                .map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
        ];
        if (add.length > 0) {
            await ctx.call(`${region}: share ${imageId}`, () => ec2.send(new dist_cjs.ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: add } })));
        }
        ctx.log(add.length > 0
            ? `${region}: shared ${imageId} with ${describeShares(add.filter((p) => p.UserId).length, add.filter((p) => p.OrganizationArn).length, add.filter((p) => p.OrganizationalUnitArn).length)}`
            : `${region}: ${imageId} is already shared as asked`);
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`share ${imageId} in ${region}`, error);
    }
    const orgs = shareOrganizations.length + shareOus.length > 0;
    if (shareSnapshots) {
        for (const snapshotId of shareAccounts.length > 0 ? snapshotIdsOf(image) : []) {
            await shareSnapshot(ctx, region, imageId, snapshotId, shareAccounts);
        }
        if (orgs) {
            ctx.log(`${region}: share-snapshots: EC2 gives snapshot permissions to accounts only, not to organizations or OUs: they can launch ${imageId} but not copy it`);
        }
    }
    if (!isEncrypted(image))
        return true;
    ctx.log(`${region}: ${imageId} is encrypted: the KMS key${isCopy ? '' : ' (of the source AMI, not chosen here: it must not be the AWS managed alias/aws/ebs)'} must let the shared ${orgs ? 'accounts, organizations and OUs' : 'accounts'} use it (kms:Decrypt, kms:DescribeKey, kms:CreateGrant, kms:ReEncrypt*, kms:GenerateDataKey*) in its key policy${orgs ? '; grant organizations and OUs there with aws:PrincipalOrgID or aws:PrincipalOrgPaths' : ''}`);
    return true;
}
/** createVolumePermission on one snapshot for the accounts that lack it. */
async function shareSnapshot(ctx, region, imageId, snapshotId, accounts) {
    const ec2 = ctx.ec2(region);
    try {
        const current = await ctx.call(`${region}: read the volume permissions of ${snapshotId}`, () => ec2.send(new dist_cjs.DescribeSnapshotAttributeCommand({
            SnapshotId: snapshotId,
            Attribute: 'createVolumePermission',
        })));
        const have = current.CreateVolumePermissions ?? [];
        const missing = accounts.filter((id) => !have.some((p) => p.UserId === id));
        if (missing.length === 0)
            return;
        await ctx.call(`${region}: share ${snapshotId}`, () => ec2.send(new dist_cjs.ModifySnapshotAttributeCommand({
            SnapshotId: snapshotId,
            Attribute: 'createVolumePermission',
            CreateVolumePermission: { Add: missing.map((UserId) => ({ UserId })) },
        })));
        ctx.log(`${region}: shared the snapshot ${snapshotId} of ${imageId} with ${missing.length} account${missing.length === 1 ? '' : 's'}`);
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`share the snapshot ${snapshotId} of ${imageId} in ${region}`, error);
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
;// CONCATENATED MODULE: ./src/publish-image/ami-ssm.ts
/**
 * The AMI id written to an SSM parameter of data type aws:ec2:image, then read back. Parameter
 * Store checks such a value asynchronously: PutParameter succeeds at once, and the new value
 * shows (or never shows, when rejected) a moment later, hence a short, bounded read-back. A
 * parameter's data type cannot be changed to or from aws:ec2:image, so an existing parameter of
 * another data type fails the region before anything is written.
 */



/** How many reads confirm a write, and the pause before read n + 1 (n × this). */
const READ_BACK_TRIES = 6;
const READ_BACK_STEP_MS = 2000;
const IMAGE_DATA_TYPE = 'aws:ec2:image';
async function readParameter(ctx, region, name) {
    try {
        const answer = await ctx.call(`${region}: read ${name}`, () => ctx.ssm(region).send(new client_ssm_dist_cjs.GetParameterCommand({ Name: name })));
        return answer.Parameter;
    }
    catch (error) {
        if (errorName(error) === 'ParameterNotFound')
            return undefined;
        throw (0,errors/* wrapError */.J4)(`read the SSM parameter ${name} in ${region}`, error);
    }
}
/** Puts `imageId` into the parameter unless it already holds it; returns the version that holds it. */
async function writeImageParameter(ctx, region, name, imageId) {
    const current = await readParameter(ctx, region, name);
    // GetParameter names the data type of every parameter; one made before data types existed is text.
    const dataType = current ? (current.DataType ?? 'text') : undefined;
    if (dataType !== undefined && dataType !== IMAGE_DATA_TYPE) {
        throw new errors/* UserError */.yo(`The SSM parameter ${name} in ${region} already exists with data type ${dataType}, and Parameter Store cannot change a parameter to or from ${IMAGE_DATA_TYPE}: delete it (aws ssm delete-parameter --region ${region} --name ${name}) so that a re-run creates it as ${IMAGE_DATA_TYPE}, or set ssm-parameter to another name.`);
    }
    if (current?.Value === imageId) {
        ctx.log(`${region}: ${name} already holds ${imageId} (version ${current.Version})`);
        return current.Version;
    }
    let version;
    try {
        const put = await ctx.call(`${region}: write ${name}`, () => ctx.ssm(region).send(new client_ssm_dist_cjs.PutParameterCommand({
            Name: name,
            Value: imageId,
            Type: 'String',
            DataType: IMAGE_DATA_TYPE,
            Overwrite: true,
        })));
        version = put.Version;
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`write ${imageId} to the SSM parameter ${name} in ${region}`, error);
    }
    for (let read = 1;; read++) {
        const back = await readParameter(ctx, region, name);
        if (back?.Value === imageId && (version === undefined || (back.Version ?? 0) >= version)) {
            ctx.log(`${region}: ${name} = ${imageId} (version ${back.Version})`);
            return back.Version ?? version;
        }
        if (read >= READ_BACK_TRIES) {
            throw new Error(`The SSM parameter ${name} in ${region} still held ${back?.Value ?? 'nothing'} instead of ${imageId} after ${read} reads: Parameter Store checks aws:ec2:image values asynchronously and has not accepted this one (the AMI must be available in ${region} to this account).`);
        }
        await ctx.sleep(READ_BACK_STEP_MS * read);
    }
}

;// CONCATENATED MODULE: ./src/publish-image/ami-store.ts
/**
 * The AMI stored as one object in an S3 bucket (CreateStoreImageTask), for the source AMI in
 * source-region: the bucket must be in the region of the AMI. A task for the same AMI and bucket
 * that completed or is still running is followed instead of starting another one. EC2 lists
 * store tasks of the past 31 days; after that a re-run stores again, to the same object key.
 */




/** The bucket's tasks for the AMI, the newest first. */
async function tasksFor(ctx, task) {
    try {
        const answer = await ctx.call(`${task.region}: list store tasks of ${task.imageId}`, () => ctx.ec2(task.region).send(new dist_cjs.DescribeStoreImageTasksCommand({ ImageIds: [task.imageId] })));
        return (answer.StoreImageTaskResults ?? [])
            .filter((t) => t.AmiId === task.imageId && t.Bucket === task.bucket)
            .sort((a, b) => (b.TaskStartTime?.getTime() ?? 0) - (a.TaskStartTime?.getTime() ?? 0));
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`list the store tasks of ${task.imageId} in ${task.region}`, error);
    }
}
/** Finds a running or completed task for the AMI and bucket, or starts one. */
async function startStore(ctx, region, imageId, bucket) {
    const startedAt = ctx.now();
    const tasks = await tasksFor(ctx, { region, imageId, bucket });
    const earlier = tasks.find((t) => t.StoreTaskState === 'InProgress') ??
        tasks.find((t) => t.StoreTaskState === 'Completed');
    if (earlier) {
        ctx.log(`${region}: ${imageId} has a store task to s3://${bucket}/${earlier.S3objectKey} (${earlier.StoreTaskState})`);
        return {
            region,
            imageId,
            bucket,
            key: earlier.S3objectKey,
            startedAt,
            taskStartTime: earlier.TaskStartTime?.getTime() ?? 0,
        };
    }
    const before = tasks.map((t) => t.TaskStartTime?.getTime() ?? 0);
    const tags = Object.entries((0,ami_inputs/* provenanceTags */.Xy)(ctx.options)).map(([Key, Value]) => ({ Key, Value }));
    try {
        const answer = await ctx.call(`${region}: store ${imageId} in ${bucket}`, () => ctx.ec2(region).send(new dist_cjs.CreateStoreImageTaskCommand({
            ImageId: imageId,
            Bucket: bucket,
            ...(tags.length > 0 ? { S3ObjectTags: tags } : {}),
        })));
        ctx.log(`${region}: storing ${imageId} in s3://${bucket}/${answer.ObjectKey}`);
        return { region, imageId, bucket, key: answer.ObjectKey, startedAt, before };
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`store ${imageId} in the S3 bucket ${bucket}`, error);
    }
}
/**
 * The task `task` follows among those listed: the earlier task chosen, by its start time and
 * object key; or the one this run started, the newest with its key that was not listed before.
 */
function followed(task, tasks) {
    const sameKey = (t) => task.key === undefined || t.S3objectKey === task.key;
    const start = (t) => t.TaskStartTime?.getTime() ?? 0;
    if (task.taskStartTime !== undefined) {
        return tasks.find((t) => start(t) === task.taskStartTime && sameKey(t));
    }
    return tasks.find((t) => sameKey(t) && !(task.before ?? []).includes(start(t)));
}
/** Waits for the task startStore chose or started to complete; returns `s3://bucket/key`. */
async function waitForStore(ctx, task) {
    const { region, imageId, bucket } = task;
    for (;;) {
        const latest = followed(task, await tasksFor(ctx, task));
        const key = latest?.S3objectKey ?? task.key ?? `${imageId}.bin`;
        const where = `s3://${bucket}/${key}`;
        const state = latest?.StoreTaskState ?? 'not listed yet';
        if (state === 'Completed') {
            ctx.log(`${region}: stored ${imageId} in ${where}`);
            return where;
        }
        if (state === 'Failed') {
            throw new Error(`Storing ${imageId} in ${where} failed: ${latest?.StoreTaskFailureReason || 'EC2 gave no reason'}.`);
        }
        const progress = latest?.ProgressPercentage !== undefined ? ` ${latest.ProgressPercentage}%` : '';
        ctx.log(`${region}: storing ${imageId} in ${where}: ${state}${progress} (${formatElapsed(ctx.now() - task.startedAt)})`);
        await nextPoll(ctx, () => new Error(`Storing ${imageId} in ${where} was still ${state}${progress} when timeout-minutes (${ctx.options.timeoutMinutes}) ran out; the task goes on in AWS, and a re-run waits for it.`));
    }
}

;// CONCATENATED MODULE: ./src/publish-image/ami-tags.ts
/**
 * Tags on an AMI and on every snapshot it points at, set once the AMI is available (its snapshots
 * are only known then). Only what lacks a tag, or has another value, is tagged, so a re-run with
 * the same inputs calls CreateTags not at all.
 */



function hasAll(tags, wanted) {
    return Object.entries(wanted).every(([key, value]) => tags?.some((tag) => tag.Key === key && tag.Value === value));
}
/** The AMI's snapshots as DescribeSnapshots reports them (tags, encryption, key). */
async function describeSnapshots(ctx, region, image) {
    const ids = snapshotIdsOf(image);
    if (ids.length === 0)
        return [];
    try {
        const answer = await ctx.call(`${region}: describe the snapshots of ${image.ImageId}`, () => ctx.ec2(region).send(new dist_cjs.DescribeSnapshotsCommand({ SnapshotIds: ids })));
        return answer.Snapshots ?? [];
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`describe the snapshots of ${image.ImageId} in ${region}`, error);
    }
}
/** Tags the AMI and its snapshots with `wanted` where any of it is missing. */
async function tagImage(ctx, region, image, snapshots, wanted) {
    const imageId = image.ImageId ?? '';
    if (Object.keys(wanted).length === 0)
        return;
    const resources = [];
    if (!hasAll(image.Tags, wanted))
        resources.push(imageId);
    for (const id of snapshotIdsOf(image)) {
        const snapshot = snapshots.find((s) => s.SnapshotId === id);
        if (!hasAll(snapshot?.Tags, wanted))
            resources.push(id);
    }
    if (resources.length === 0) {
        ctx.log(`${region}: ${imageId} and its snapshots are already tagged`);
        return;
    }
    try {
        await ctx.call(`${region}: tag ${imageId}`, () => ctx.ec2(region).send(new dist_cjs.CreateTagsCommand({
            Resources: resources,
            Tags: Object.entries(wanted).map(([Key, Value]) => ({ Key, Value })),
        })));
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`tag ${resources.join(', ')} in ${region}`, error);
    }
    ctx.log(`${region}: tagged ${resources.join(', ')} with ${Object.keys(wanted).length} tags`);
}

;// CONCATENATED MODULE: ./src/publish-image/ami.ts
/**
 * The AMI half of publish-image, as a pure engine: copy an AMI to regions in parallel, tag each
 * copy and its snapshots with the run's provenance, share it, set its deprecation time, write its
 * id to SSM parameters, and store it in S3. Every step first looks at what is already there, so a
 * re-run with the same inputs finds its copies by tag and does nothing twice; a copy found that
 * was made with other inputs fails its region instead of being shared. A region that fails does
 * not stop the others: each gets its own result.
 */










/**
 * Publishes the AMI to every region in `regions`; results in that order. Bad options are an
 * InputError and a bad source AMI a UserError, both before anything is changed; a failure in a
 * region is reported in its result.
 */
async function publishAmi(options, deps) {
    const ctx = makeContext((0,ami_inputs/* checkOptions */.Jr)(options), deps);
    const source = await describeSource(ctx);
    return Promise.all(ctx.options.regions.map((region) => publishRegion(ctx, source, region)));
}
async function publishRegion(ctx, source, region) {
    const { options } = ctx;
    const result = { region, status: 'failed', snapshots: [], shared: false };
    try {
        const inPlace = region === options.sourceRegion;
        if (inPlace)
            result.amiId = options.amiId;
        const store = inPlace && options.s3Bucket
            ? await startStore(ctx, region, options.amiId, options.s3Bucket)
            : undefined;
        let image = source;
        let status = 'source';
        let snapshots;
        if (!inPlace) {
            // The region's default EBS key, read at most once, and only when the check needs it.
            let byDefault;
            const defaultKey = () => (byDefault ??= defaultEbsKey(ctx, region));
            // Refused before copying when we can tell (encryption asked for, or an encrypted source)...
            const refusal = await awsManagedKeyRefusal(ctx, region, options.encrypted || isEncrypted(source), defaultKey);
            if (refusal)
                throw refusal;
            const copy = await copyToRegion(ctx, region, source, (id) => (result.amiId = id));
            ({ image, status } = copy);
            snapshots = await describeSnapshots(ctx, region, image);
            // A copy found from an earlier run must be what these inputs ask for...
            checkFoundCopy(region, copy, options.amiId, snapshots);
            // ...and is checked again, as is a new one, now that its encryption is known (the region
            // may encrypt every new volume by default).
            const late = await awsManagedKeyRefusal(ctx, region, isEncrypted(image), defaultKey, {
                image,
                snapshots,
            });
            if (late)
                throw late;
        }
        const imageId = image.ImageId ?? '';
        result.amiId = imageId;
        result.snapshots = snapshotIdsOf(image);
        snapshots ??= await describeSnapshots(ctx, region, image);
        await tagImage(ctx, region, image, snapshots, (0,ami_inputs/* desiredTags */.C2)(options, !inPlace));
        result.shared = await shareImage(ctx, region, image, !inPlace);
        if (options.deprecateAfterDays !== undefined) {
            result.deprecationTime = await deprecate(ctx, region, image, options.deprecateAfterDays);
        }
        if (options.ssmParameter) {
            result.ssmVersion = await writeImageParameter(ctx, region, options.ssmParameter, imageId);
            result.ssmParameter = options.ssmParameter;
        }
        if (store)
            result.s3Object = await waitForStore(ctx, store);
        result.status = status;
    }
    catch (error) {
        result.status = 'failed';
        result.error = (0,errors/* errorMessage */.gJ)(error);
        ctx.log(`${region}: failed: ${result.error}`);
    }
    return result;
}
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/**
 * Deprecates the AMI `days` after its creation date (rounded down to the minute, as EC2 keeps
 * it), so a re-run computes the same time and leaves an AMI that has it alone. EC2 refuses a
 * time in the past: an AMI older than `days` (a source published late) is deprecated a minute
 * from now, and left alone once it has a deprecation time no later than that.
 */
async function deprecate(ctx, region, image, days) {
    const now = ctx.now();
    const created = Date.parse(image.CreationDate ?? '');
    const due = Math.floor(((Number.isNaN(created) ? now : created) + days * DAY_MS) / MINUTE_MS) * MINUTE_MS;
    const overdue = due <= now;
    const at = overdue ? Math.ceil((now + MINUTE_MS) / MINUTE_MS) * MINUTE_MS : due;
    const current = Date.parse(image.DeprecationTime ?? '');
    if (!Number.isNaN(current) && (Math.abs(current - at) < MINUTE_MS || (overdue && current <= at))) {
        const iso = new Date(current).toISOString();
        ctx.log(`${region}: ${image.ImageId} already deprecates at ${iso}`);
        return iso;
    }
    const iso = new Date(at).toISOString();
    try {
        await ctx.call(`${region}: deprecate ${image.ImageId}`, () => ctx
            .ec2(region)
            .send(new dist_cjs.EnableImageDeprecationCommand({ ImageId: image.ImageId, DeprecateAt: new Date(at) })));
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`set the deprecation time of ${image.ImageId} in ${region}`, error);
    }
    ctx.log(overdue
        ? `${region}: ${image.ImageId} is older than deprecate-after-days (${days}): it deprecates at ${iso}`
        : `${region}: ${image.ImageId} deprecates at ${iso}`);
    return iso;
}


/***/ })

};

//# sourceMappingURL=365.index.js.map