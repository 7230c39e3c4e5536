package dev.drover.modules.commands;

import dev.drover.module.ModuleException;
import java.util.ArrayList;
import java.util.List;

/** Python's shlex.split (POSIX mode): what the command module does to its free-form text. */
public final class Shlex {
    private Shlex() {
    }

    public static List<String> split(String s) throws ModuleException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new ModuleException("No closing quotation");
                }
                cur.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != '"'; j++) {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length() && "\\\"$`".indexOf(s.charAt(j + 1)) >= 0) {
                        cur.append(s.charAt(++j));
                    } else {
                        cur.append(d);
                    }
                }
                if (j >= s.length()) {
                    throw new ModuleException("No closing quotation");
                }
                i = j;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    if (n != '\n') {
                        cur.append(n);
                    }
                }
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
