package dev.drover.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values are what python3's ast.literal_eval / shlex.split give (checked by hand). */
class PyLiteralTest {

    @Test
    void numbersBooleansNone() {
        assertEquals(1, PyLiteral.parseValue("1"));
        assertEquals(-5, PyLiteral.parseValue("-5"));
        assertEquals(1000, PyLiteral.parseValue("1_000"));
        assertEquals(31, PyLiteral.parseValue("0x1f"));
        assertEquals(8, PyLiteral.parseValue("0o10"));
        assertEquals(0, PyLiteral.parseValue("00"));
        assertEquals(1.5, PyLiteral.parseValue("1.5"));
        assertEquals(1000.0, PyLiteral.parseValue("1e3"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                PyLiteral.parseValue("123456789012345678901234567890"));
        assertEquals(Boolean.TRUE, PyLiteral.parseValue("True"));
        assertEquals(Boolean.FALSE, PyLiteral.parseValue("False"));
        assertNull(PyLiteral.parseValue("None"));
        assertEquals(1, PyLiteral.parseValue("1 # trailing comment"));
    }

    @Test
    void notLiteralsStayText() {
        assertEquals("0644", PyLiteral.parseValue("0644")); // leading zeros: SyntaxError in Python 3
        assertEquals("yes", PyLiteral.parseValue("yes"));
        assertEquals("true", PyLiteral.parseValue("true"));
        assertEquals("abc", PyLiteral.parseValue("abc"));
        assertEquals("a b c", PyLiteral.parseValue("a b c"));
        assertEquals("1.2.3.4", PyLiteral.parseValue("1.2.3.4"));
        assertEquals("", PyLiteral.parseValue(""));
        assertEquals("{k:1}", PyLiteral.parseValue("{k:1}"));
        assertEquals("abc # c", PyLiteral.parseValue("abc # c"));
        assertEquals("-True", PyLiteral.parseValue("-True"));
        assertEquals("[1,", PyLiteral.parseValue("[1,"));
    }

    @Test
    void stringsAndContainers() {
        assertEquals("quoted", PyLiteral.parseValue("\"quoted\""));
        assertEquals("xy", PyLiteral.parseValue("\"x\" 'y'"));
        assertEquals("a\nb", PyLiteral.parseValue("'a\\nb'"));
        assertEquals("a\\nb", PyLiteral.parseValue("r'a\\nb'"));
        assertEquals(List.of(1, 2), PyLiteral.parseValue("[1,2]"));
        assertEquals(List.of(1, 2), PyLiteral.parseValue("(1, 2)"));
        assertEquals(List.of(1), PyLiteral.parseValue("(1,)"));
        assertEquals(3, PyLiteral.parseValue("(3)"));
        assertEquals(Map.of("k", 1, "l", List.of("a")), PyLiteral.parseValue("{'k': 1, 'l': ['a']}"));
    }

    @Test
    void shlexLikePython() {
        assertEquals(List.of("h", "a=quoted str", "b=x y"), PyLiteral.shlexSplit("h a=\"quoted str\" b='x y'"));
        assertEquals(List.of("h", "c=abc"), PyLiteral.shlexSplit("h c=abc#d e=1"));
        assertEquals(List.of("h", "a=\"q\""), PyLiteral.shlexSplit("h a='\"q\"'"));
        assertEquals(List.of("a b"), PyLiteral.shlexSplit("a\\ b"));
        assertEquals(List.of("h", "x="), PyLiteral.shlexSplit("h x=''"));
        assertEquals("No closing quotation",
                assertThrows(IllegalArgumentException.class, () -> PyLiteral.shlexSplit("h a=\"x")).getMessage());
    }

    @Test
    void hostRanges() {
        assertEquals(List.of("web01", "web02", "web03"), HostRanges.expand("web[01:03]"));
        assertEquals(List.of("db-a", "db-b", "db-c"), HostRanges.expand("db-[a:c]"));
        assertEquals(List.of("n1", "n3", "n5", "n7", "n9"), HostRanges.expand("n[1:10:2]"));
        assertEquals(List.of("r1a", "r1b", "r2a", "r2b"), HostRanges.expand("r[1:2][a:b]"));
        assertEquals(List.of("x0", "x1"), HostRanges.expand("x[:1]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("x[01:1]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("x[1:]"));
        assertEquals(new HostRanges.HostKey("alpha", 2222), HostRanges.splitPort("alpha:2222"));
        assertEquals(new HostRanges.HostKey("2001:db8::1", 2222), HostRanges.splitPort("[2001:db8::1]:2222"));
        assertEquals(new HostRanges.HostKey("::1", null), HostRanges.splitPort("::1"));
        assertEquals(new HostRanges.HostKey("web[1:3]", 22), HostRanges.splitPort("web[1:3]:22"));
        assertEquals(new HostRanges.HostKey("db-[a:c]", null), HostRanges.splitPort("db-[a:c]"));
    }
}
