package dev.drover.inventory;

import java.math.BigInteger;

/** Integer narrowing the same way the YAML loader does: Integer, then Long, then BigInteger. */
final class YamlNumbers {
    private YamlNumbers() {
    }

    static Object narrow(BigInteger b) {
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        if (b.bitLength() < 64) {
            return b.longValue();
        }
        return b;
    }
}
