package dev.drover.report;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The output boundary's last guard: every string printed through it goes through {@code mask}
 * first (the run's vault values become {@code ********}). Text is masked whole per call, so a
 * secret is never split across two writes by drover's own printing (lines, diffs, dumps).
 */
public final class MaskingPrintStream extends PrintStream {
    private final UnaryOperator<String> mask;

    public MaskingPrintStream(PrintStream out, UnaryOperator<String> mask) {
        super(out, true, StandardCharsets.UTF_8);
        this.mask = mask;
    }

    @Override
    public void print(String s) {
        super.print(mask.apply(String.valueOf(s)));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void println(String s) {
        synchronized (this) {
            print(s);
            println();
        }
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void println(char[] s) {
        println(new String(s));
    }

    @Override
    public PrintStream format(String format, Object... args) {
        print(String.format(format, args));
        return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        print(String.format(l, format, args));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }
}
