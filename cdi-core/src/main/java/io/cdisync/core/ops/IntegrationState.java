package io.cdisync.core.ops;

/**
 * Where an {@link Integration} is in its life, as on Braze's dashboard: created as a draft, active
 * once a connection test passed, paused and resumed at will.
 *
 * <pre>
 * DRAFT --activate (passing connection test)--&gt; ACTIVE &lt;--pause / resume--&gt; PAUSED
 * </pre>
 */
public enum IntegrationState {
    /** Defined but never activated: it does not run. */
    DRAFT,
    /** Runs on its schedule and on "sync now". */
    ACTIVE,
    /** Kept with its watermark and logs, but does not run until resumed. */
    PAUSED
}
