package io.cdisync.core.ops;

/**
 * The optional alerts of an {@link Integration}. Global errors (connectivity, permissions, resources,
 * a full catalog) always alert the integration's contacts; these settings add alerts that Braze's
 * dashboard lets a user opt into.
 *
 * @param rowErrorPercentAbove alert when more than this percentage (0-100) of the rows a run read
 *                             failed as row errors; null for no such alert
 * @param onSuccess            alert after every run that ends in success (or partial success)
 * @param onNoRowsChanged      alert after a run that found no new rows
 */
public record AlertSettings(Double rowErrorPercentAbove, boolean onSuccess, boolean onNoRowsChanged) {
    /** Global errors only: the default. */
    public static final AlertSettings GLOBAL_ERRORS_ONLY = new AlertSettings(null, false, false);

    public AlertSettings {
        if (rowErrorPercentAbove != null && (rowErrorPercentAbove.isNaN() || rowErrorPercentAbove < 0 || rowErrorPercentAbove > 100)) {
            throw new IllegalArgumentException("rowErrorPercentAbove must be 0 to 100, was " + rowErrorPercentAbove);
        }
    }

    /** These settings, alerting when more than {@code percent} percent of a run's rows failed. */
    public AlertSettings withRowErrorPercentAbove(double percent) {
        return new AlertSettings(percent, onSuccess, onNoRowsChanged);
    }

    /** These settings without the row-error alert. */
    public AlertSettings withoutRowErrorAlert() {
        return new AlertSettings(null, onSuccess, onNoRowsChanged);
    }

    /** These settings, alerting (or not) on success. */
    public AlertSettings withOnSuccess(boolean on) {
        return new AlertSettings(rowErrorPercentAbove, on, onNoRowsChanged);
    }

    /** These settings, alerting (or not) when a run found no new rows. */
    public AlertSettings withOnNoRowsChanged(boolean on) {
        return new AlertSettings(rowErrorPercentAbove, onSuccess, on);
    }
}
