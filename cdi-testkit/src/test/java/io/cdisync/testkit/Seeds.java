package io.cdisync.testkit;

/**
 * Seeded randomness for the reliability suites: a seed from {@code -Dcdi.seed} (to reproduce a failure)
 * or a fresh one, printed, and named in the failure of whatever runs with it.
 */
final class Seeds {
    private Seeds() {
    }

    interface SeededBody {
        void run(long seed) throws Exception;
    }

    static void withSeed(String suite, SeededBody body) throws Exception {
        long seed = Long.getLong("cdi.seed", System.nanoTime());
        System.out.println(suite + " seed " + seed);
        try {
            body.run(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(suite + " failed with seed " + seed + "; rerun with -Dcdi.seed=" + seed + ": " + e.getMessage(), e);
        }
    }
}
