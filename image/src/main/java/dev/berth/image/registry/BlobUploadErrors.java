package dev.berth.image.registry;

import java.util.List;

/** The wording of push errors, shared by the upload steps: docker's "denied: requested access to the resource is denied". */
final class BlobUploadErrors {
    private BlobUploadErrors() {}

    static RegistryException push(Repository repo, String action, int status, List<RegistryException.RegistryError> errors) {
        if (status == 401 || status == 403) {
            String detail = RegistryErrors.describe(errors);
            return new RegistryAuthException("push access denied for " + repo.familiarName() + ": "
                    + (!detail.isEmpty() ? detail : status == 401 ? "unauthorized: authentication required"
                            : "denied: requested access to the resource is denied"), status, errors);
        }
        return RegistryErrors.standard(action, status, errors);
    }
}
