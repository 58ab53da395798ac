export const id = 513;
export const ids = [513];
export const modules = {

/***/ 8513:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TAG_MUTABILITY: () => (/* reexport safe */ _ecr_settings_js__WEBPACK_IMPORTED_MODULE_1__.g),
/* harmony export */   ecrCredentials: () => (/* binding */ ecrCredentials),
/* harmony export */   ensureRepository: () => (/* binding */ ensureRepository)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8249);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _ecr_settings_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5603);
/**
 * Amazon ECR: a registry password from `GetAuthorizationToken` (valid 12 hours, for the ambient
 * AWS credentials), and repositories made to the team's standard. A missing repository is created
 * with the settings asked for; an existing one is never changed, and where it differs from them
 * (mutable tags, no scan on push, another key, another lifecycle policy) the difference is
 * reported as drift, so nothing is weakened or overwritten silently.
 */



/** Registry credentials for the account's ECR registry in the client's region. */
async function ecrCredentials(ecr, accountId, host) {
    let token;
    try {
        // registryIds is deprecated: the token is the caller's, valid for every registry it may use.
        const answer = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.GetAuthorizationTokenCommand({}));
        token = answer.authorizationData?.[0]?.authorizationToken;
    }
    catch (error) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Could not get a registry password for ${host} from ECR GetAuthorizationToken: ${error.message}. ` +
            `Give the job AWS credentials for account ${accountId} (aws-actions/configure-aws-credentials) that allow ecr:GetAuthorizationToken.`);
    }
    const decoded = Buffer.from(token ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`ECR GetAuthorizationToken for ${host} returned no usable token.`);
    return {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
        from: 'ECR GetAuthorizationToken',
    };
}
function sameJson(a, b) {
    const canonical = (text) => {
        const sort = (v) => Array.isArray(v)
            ? v.map(sort)
            : v && typeof v === 'object'
                ? Object.fromEntries(Object.entries(v)
                    .sort(([x], [y]) => x.localeCompare(y))
                    .map(([k, x]) => [k, sort(x)]))
                : v;
        try {
            return JSON.stringify(sort(JSON.parse(text)));
        }
        catch {
            return text;
        }
    };
    return canonical(a) === canonical(b);
}
/**
 * Whether the repository's key is the one asked for. ECR reports the key's ARN; an alias cannot be
 * matched to it without KMS, so for an alias only KMS encryption itself is compared.
 */
function sameKey(wanted, actual) {
    if (wanted.startsWith('alias/') || wanted.includes(':alias/'))
        return true;
    if (!actual)
        return false;
    return actual === wanted || actual.endsWith(`:key/${wanted}`);
}
function driftOf(repo, settings) {
    const drift = [];
    if (repo.imageTagMutability && repo.imageTagMutability !== settings.tagMutability) {
        drift.push(`tags are ${repo.imageTagMutability}, not ${settings.tagMutability}`);
    }
    const scan = repo.imageScanningConfiguration?.scanOnPush ?? false;
    if (scan !== settings.scanOnPush)
        drift.push(`scan on push is ${scan ? 'on' : 'off'}, not ${settings.scanOnPush ? 'on' : 'off'}`);
    const encryption = repo.encryptionConfiguration;
    if (settings.kmsKey &&
        (encryption?.encryptionType !== 'KMS' || !sameKey(settings.kmsKey, encryption.kmsKey))) {
        const type = encryption?.encryptionType ?? 'AES256';
        drift.push(`it is encrypted with ${type === 'AES256' ? 'AES256' : `${type} key ${encryption?.kmsKey ?? '(default)'}`}, not KMS key ${settings.kmsKey}`);
    }
    return drift;
}
/**
 * Makes sure `repository` exists. A missing one is created with `settings`; an existing one is
 * compared with them and left as it is.
 */
async function ensureRepository(ecr, registryId, repository, settings, attempt = 1) {
    let existing;
    try {
        const answer = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.DescribeRepositoriesCommand({ registryId, repositoryNames: [repository] }));
        existing = answer.repositories?.[0];
    }
    catch (error) {
        if (error.name !== 'RepositoryNotFoundException') {
            throw (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapError */ .J4)(`look up the ECR repository ${repository}`, error);
        }
    }
    if (existing) {
        const drift = driftOf(existing, settings);
        if (settings.lifecyclePolicy !== undefined) {
            let current;
            try {
                current = (await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.GetLifecyclePolicyCommand({ registryId, repositoryName: repository })))
                    .lifecyclePolicyText;
            }
            catch (error) {
                if (error.name !== 'LifecyclePolicyNotFoundException') {
                    throw (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapError */ .J4)(`read the lifecycle policy of ${repository}`, error);
                }
            }
            if (current === undefined)
                drift.push('it has no lifecycle policy, but ecr-lifecycle-policy gives one');
            else if (!sameJson(current, settings.lifecyclePolicy))
                drift.push('its lifecycle policy differs from ecr-lifecycle-policy');
        }
        return { repository, created: false, drift };
    }
    try {
        await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.CreateRepositoryCommand({
            registryId,
            repositoryName: repository,
            imageTagMutability: settings.tagMutability,
            imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
            encryptionConfiguration: settings.kmsKey
                ? { encryptionType: 'KMS', kmsKey: settings.kmsKey }
                : { encryptionType: 'AES256' },
        }));
    }
    catch (error) {
        // Another run made it between our look and our create: compare it like any existing one.
        if (error.name === 'RepositoryAlreadyExistsException' && attempt < 3) {
            return ensureRepository(ecr, registryId, repository, settings, attempt + 1);
        }
        throw (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapError */ .J4)(`create the ECR repository ${repository}`, error);
    }
    if (settings.lifecyclePolicy !== undefined) {
        try {
            await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.PutLifecyclePolicyCommand({
                registryId,
                repositoryName: repository,
                lifecyclePolicyText: settings.lifecyclePolicy,
            }));
        }
        catch (error) {
            throw (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapError */ .J4)(`put the lifecycle policy on the new repository ${repository}`, error);
        }
    }
    return { repository, created: true, drift: [] };
}


/***/ })

};

//# sourceMappingURL=513.index.js.map