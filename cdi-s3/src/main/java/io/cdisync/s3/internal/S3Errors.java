package io.cdisync.s3.internal;

import io.cdisync.core.CdiException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** S3's failures as cdi's failure classes, with what to fix. Messages never hold credentials. */
public final class S3Errors {
    private S3Errors() {
    }

    /** {@code doing} says what was attempted, e.g. {@code "list s3://bucket/folder/"}. */
    public static CdiException map(RuntimeException e, String doing) {
        if (e instanceof CdiException cdi) {
            return cdi;
        }
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String what = "cannot " + doing + ": " + (code == null ? "HTTP " + status : code);
            if (status == 403 || "AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code)
                    || "SignatureDoesNotMatch".equals(code)) {
                return new CdiException.AccessDenied(what + ". The credentials need s3:ListBucket on the bucket and"
                        + " s3:GetObject on the folder's objects; check the access key, role and bucket policy", null);
            }
            if ("NoSuchBucket".equals(code)) {
                return new CdiException.ConfigurationError(what + ". Check the bucket's name", null);
            }
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                return new CdiException.ConfigurationError(what + ". The bucket is in another region: set the source's region", null);
            }
            return new CdiException(what, status >= 500 || status == 429, null);
        }
        if (e instanceof SdkClientException) {
            return new CdiException.ConnectionFailed("cannot " + doing + ": " + e.getMessage()
                    + ". Check the endpoint, region and network", null);
        }
        return new CdiException("cannot " + doing + ": " + e, false, e);
    }
}
