package dev.drover.report;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts (line-based, 3 lines of context), as --diff prints it. */
public final class UnifiedDiff {
    private UnifiedDiff() {
    }

    private static final int CONTEXT = 3;
    private static final long MAX_CELLS = 25_000_000L;

    public static String diff(String beforeHeader, String afterHeader, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<int[]> ops = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(beforeHeader).append('\n').append("+++ ").append(afterHeader).append('\n');
        int i = 0;
        while (i < ops.size()) {
            while (i < ops.size() && ops.get(i)[0] == 0) {
                i++;
            }
            if (i >= ops.size()) {
                break;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size()) {
                if (ops.get(end)[0] != 0) {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = ops.get(start)[1];
            int bStart = ops.get(start)[2];
            int aLen = 0;
            int bLen = 0;
            StringBuilder hunk = new StringBuilder();
            for (int k = start; k < end; k++) {
                int[] op = ops.get(k);
                if (op[0] == 0) {
                    hunk.append(' ').append(a.get(op[1])).append('\n');
                    aLen++;
                    bLen++;
                } else if (op[0] < 0) {
                    hunk.append('-').append(a.get(op[1])).append('\n');
                    aLen++;
                } else {
                    hunk.append('+').append(b.get(op[2])).append('\n');
                    bLen++;
                }
            }
            out.append("@@ -").append(range(aStart, aLen)).append(" +").append(range(bStart, bLen)).append(" @@\n");
            out.append(hunk);
            i = end;
        }
        return out.toString();
    }

    private static String range(int start, int len) {
        int first = len == 0 ? start : start + 1;
        return len == 1 ? String.valueOf(first) : first + "," + len;
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String l : s.split("\n", -1)) {
            out.add(l);
        }
        if (s.endsWith("\n")) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Edit script: {op, aIndex, bIndex}; op 0 = keep, -1 = delete, +1 = insert (indexes at that point). */
    private static List<int[]> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        List<int[]> ops = new ArrayList<>();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                ops.add(new int[] {-1, i, 0});
            }
            for (int j = 0; j < m; j++) {
                ops.add(new int[] {1, n, j});
            }
            return ops;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new int[] {0, i++, j++});
            } else if (j < m && (i >= n || lcs[i][j + 1] > lcs[i + 1][j])) {
                ops.add(new int[] {1, i, j++});
            } else {
                ops.add(new int[] {-1, i++, j});
            }
        }
        return ops;
    }
}
