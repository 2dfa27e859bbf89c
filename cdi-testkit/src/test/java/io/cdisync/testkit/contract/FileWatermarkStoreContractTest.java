package io.cdisync.testkit.contract;

import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.FileWatermarkStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileWatermarkStore}: each new instance over the test's directory, like processes sharing it. */
class FileWatermarkStoreContractTest extends WatermarkStoreContract {
    @TempDir
    Path dir;

    @Override
    protected WatermarkStore newStore() {
        return new FileWatermarkStore(dir);
    }
}
