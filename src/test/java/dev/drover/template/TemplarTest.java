package dev.drover.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.vault.Keyring;
import dev.drover.vault.VaultFormat;
import dev.drover.vault.VaultSecret;
import dev.drover.yaml.Location;
import java.nio.charset.StandardCharsets;
import dev.drover.yaml.Vaulted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplarTest {
    private static final Templar T = Templar.create();


    static Map<String, Object> vars(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------ native values of one {{ expr }}

    @Test
    void aVariableNamedWithADoubleUnderscoreIsVisible() throws Exception {
        // roles keep OS-specific values in __names (geerlingguy.java: __java_packages in vars/Debian-12.yml)
        assertEquals(List.of("openjdk-17-jdk"), T.render("{{ __java_packages | list }}", vars("__java_packages", List.of("openjdk-17-jdk"))));
        assertEquals("ntpsec", T.render("{{ __ntp_daemon }}", vars("__ntp_daemon", "ntpsec")));
    }

    @Test
    void singleExpressionKeepsItsType() throws Exception {
        assertEquals(List.of(1, 2), T.render("{{ [1,2] }}", vars()));
        assertEquals(3, T.render("{{ 3 }}", vars()));
        // whitespace outside the braces makes it text (ansible-playbook 2.14: set_fact a="  {{ 3 }} " is '  3 ')
        assertEquals("  3 ", T.render("  {{ 3 }} ", vars()));
        assertEquals("x\n", T.render("{{ 'x' }}\n", vars()));
        assertEquals(" x ", T.render(" {{ 'x' }} ", vars()));
        // a bool, list or dict followed by a YAML block's final newline keeps its type
        assertEquals(List.of(1, 2), T.render("{{ [1, 2] }}\n", vars()));
        assertEquals("a,b\n", T.render("{{ l | join(',') }}\n", vars("l", List.of("a", "b"))));
        assertEquals("a", T.render("{{ 'a' }}", vars()));
        assertEquals("x1", T.render("x{{ 1 }}", vars()));
        assertEquals(true, T.render("{{ 1 == 1 }}", vars()));
        assertNull(T.render("{{ none }}", vars()));
        assertEquals(2.5, T.render("{{ 10 / 4 }}", vars()));
        assertEquals(Map.of("k", 1), T.render("{{ {'k': 1} }}", vars()));
        assertEquals(Map.of("a", Map.of("b", 1)), T.render("{{ {'a': {'b': 1}} }}", vars()));
        assertEquals(List.of(1, 2, 3), T.render("{{ range(1, 4) | list }}", vars()));
        Object l = T.render("{{ x }}", vars("x", List.of("a", "{{ y }}"), "y", 7));
        assertEquals(List.of("a", 7), l);
        assertTrue(l instanceof ArrayList, "plain Java list, not a jinjava wrapper: " + l.getClass());
    }

    @Test
    void textThatLooksLikeAListDictOrBoolBecomesOneAsInAnsible() throws Exception {
        // ansible-core 2.14 (non-native): '{{ x }}' with x = '[1, 2]' gives the list [1, 2]
        assertEquals(List.of(1, 2), T.render("{{ x }}", vars("x", "[1, 2]")));
        assertEquals(true, T.render("{{ 'True' }}", vars()));
        assertEquals(Map.of("a", List.of("b")), T.render("{{ s }}", vars("s", "{'a': ['b']}")));
        assertEquals("[not, a literal", T.render("{{ s }}", vars("s", "[not, a literal")));
        assertEquals("[1, 2]", T.render("{{ [1, 2] | to_json }}", vars()));
        assertEquals("[\n  1,\n  2\n]", T.render("{{ [1, 2] | to_json(indent=2) }}", vars()));
        assertEquals("true", T.render("{{ 'true' }}", vars()));
        assertEquals(3, T.render("{{ -3 | abs }}", vars()));
    }

    @Test
    void mapWithAFilterAndExtract() throws Exception {
        Map<String, Object> hv = vars("h1", vars("sub", "alpha"), "h2", vars("sub", "beta"));
        assertEquals(List.of("alpha", "beta"),
                T.render("{{ ['h1', 'h2'] | map('extract', hv, 'sub') | list }}", vars("hv", hv)));
        assertEquals(List.of("A", "B"), T.render("{{ ['a', 'b'] | map('upper') | list }}", vars()));
        assertEquals(List.of(1, 2), T.render("{{ [{'x': 1}, {'x': 2}] | map(attribute='x') | list }}", vars()));
        // a filter name first: attribute= belongs to that filter (here the inner map)
        assertEquals(List.of(List.of(1), List.of(2, 3)), T.render(
                "{{ [[{'x': 1}], [{'x': 2}, {'x': 3}]] | map('map', attribute='x') | map('list') | list }}", vars()));
    }

    @Test
    void templateFileTrimBlocksCanBeTurnedOff() throws Exception {
        String tpl = "{% if true %}\nyes\n{% endif %}\n";
        assertEquals("yes\n", T.renderText(tpl, vars()));
        assertEquals("\nyes\n", T.renderText(tpl, vars(), false, false)); // Jinja2 drops the final newline
    }

    @Test
    void mixedTextPrintsPythonStyle() throws Exception {
        assertEquals("x[1, 'a']", T.render("x{{ [1, 'a'] }}", vars()));
        assertEquals("xTrue", T.render("x{{ true }}", vars()));
        assertEquals("x", T.render("x{{ none }}", vars()));
        assertEquals("x{'k': 1}", T.render("x{{ {'k': 1} }}", vars()));
        assertEquals("v=[None, False]", T.render("v={{ l }}", vars("l", Arrays.asList(null, false))));
    }

    @Test
    void renderWalksListsAndMapsIncludingKeys() throws Exception {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("{{ k }}", List.of("{{ n + 1 }}", "plain", 5));
        in.put("flag", true);
        Object out = T.render(in, vars("k", "key", "n", 1));
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("key", List.of(2, "plain", 5));
        expected.put("flag", true);
        assertEquals(expected, out);
    }

    @Test
    void vaultValuesAreDecryptedWhenRenderedOrRead() throws Exception {
        VaultSecret pw = VaultSecret.of("pw");
        Vaulted secret = new Vaulted(VaultFormat.encrypt("hunter2".getBytes(StandardCharsets.UTF_8), pw), Location.of("x.yml"));
        TemplateException none = assertThrows(TemplateException.class, () -> T.render("pw={{ s }}", vars("s", secret)));
        assertTrue(none.getMessage().contains("Attempting to decrypt but no vault secrets found"), none.getMessage());
        Runnable undo = Keyring.install(new Keyring(List.of(pw)));
        try {
            assertEquals("hunter2", T.render(secret, vars()));
            assertEquals("pw=hunter2", T.render("pw={{ s }}", vars("s", secret)));
            assertEquals(Map.of("k", "hunter2"), T.render("{{ d }}", vars("d", Map.of("k", secret))));
            assertEquals("pw=********", Keyring.current().mask("pw=hunter2"));
        } finally {
            undo.run();
        }
        Runnable wrong = Keyring.install(new Keyring(List.of(VaultSecret.of("other"))));
        try {
            TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ s }}", vars("s", secret)));
            assertEquals("Decryption failed (no vault secrets were found that could decrypt) on x.yml", e.getMessage());
        } finally {
            wrong.run();
        }
    }

    // ------------------------------------------------------------ lazy variables

    @Test
    void variablesRenderLazilyAndRecursively() throws Exception {
        Map<String, Object> v = vars("a", "{{ b }}-x", "b", "{{ c }}", "c", 1,
                "d", vars("e", vars("f", "{{ a }}!")), "l", List.of("{{ c + 1 }}"));
        assertEquals("1-x", T.render("{{ a }}", v));
        assertEquals("1-x!", T.render("{{ d.e.f }}", v));
        assertEquals("1-x!", T.render("{{ d['e']['f'] }}", v));
        assertEquals(2, T.render("{{ l[0] }}", v));
        assertEquals(Map.of("e", Map.of("f", "1-x!")), T.render("{{ d }}", v));
        assertEquals("f=1-x!;", T.renderText("{% for k, x in d.e.items() %}{{ k }}={{ x }};{% endfor %}", v));
    }

    @Test
    void templatesMayChangeCopiesOfVariablesButNeverTheVariables() throws Exception {
        List<Object> l = new ArrayList<>(List.of(1));
        Map<String, Object> d = vars("a", 1);
        Map<String, Object> v = vars("l", l, "d", d);
        assertEquals("[1, 2] {'a': 1, 'b': 2}",
                T.renderText("{% set _ = l.append(2) %}{% set _ = d.update({'b': 2}) %}{{ l }} {{ d }}", v));
        assertEquals(List.of(1), l);
        assertEquals(Map.of("a", 1), d);
    }

    @Test
    void cycleIsAnError() {
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ a }}", vars("a", "{{ a }}")));
        assertEquals("recursive loop detected in template string: {{ a }}", e.getMessage());
        e = assertThrows(TemplateException.class,
                () -> T.render("{{ a }}", vars("a", "{{ b }}", "b", "x{{ a }}")));
        assertTrue(e.getMessage().startsWith("recursive loop detected in template string: "), e.getMessage());
    }

    // ------------------------------------------------------------ undefined

    @Test
    void undefinedVariableNamesIt() {
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ foo }}", vars()));
        assertEquals("'foo' is undefined", e.getMessage());
        assertEquals("foo", e.undefinedVariable());
        e = assertThrows(TemplateException.class, () -> T.render("x {{ foo | length }} y", vars()));
        assertEquals("foo", e.undefinedVariable());
        e = assertThrows(TemplateException.class, () -> T.render("{% for i in foo %}{% endfor %}", vars()));
        assertEquals("foo", e.undefinedVariable());
        e = assertThrows(TemplateException.class, () -> T.isTrue("foo", vars()));
        assertEquals("foo", e.undefinedVariable());
        e = assertThrows(TemplateException.class, () -> T.render("{{ a }}", vars("a", "{{ bar }}")));
        assertEquals("bar", e.undefinedVariable());
        e = assertThrows(TemplateException.class, () -> T.render("{{ foo.bar }}", vars("foo", vars())));
        assertEquals("'dict object' has no attribute 'bar'", e.getMessage());
        e = assertThrows(TemplateException.class, () -> T.render("{{ foo.bar.baz }}", vars("foo", vars())));
        assertEquals("'dict object' has no attribute 'bar'", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "nope == 1 => nope",
        "1 == nope => nope",
        "nope > 1 => nope",
        "nope ~ 'x' => nope",
        "nope + 1 => nope",
        "not nope => nope",
        "nope and true => nope",
        "nope in [1] => nope",
        "1 in nope => nope",
        "[nope] => nope",
        "{'a': nope} => nope",
        "nope | bool => nope",
        "'%s' % nope => nope",
        "'abc'.startswith(nope) => nope",
        "nope.x.y => nope",
        "nope['x'] | upper => nope",
    })
    void undefinedFailsInEveryUse(String expression, String variable) {
        TemplateException e = assertThrows(TemplateException.class, () -> T.evaluate(expression, vars()));
        assertEquals(variable, e.undefinedVariable());
        assertEquals("'" + variable + "' is undefined", e.getMessage());
    }

    @Test
    void undefinedIsFineUnderDefaultAndDefinedTests() throws Exception {
        assertEquals("x", T.render("{{ foo | default('x') }}", vars()));
        assertEquals("x", T.render("{{ foo | d('x') }}", vars()));
        assertEquals("x", T.render("{{ foo.bar | default('x') }}", vars("foo", vars())));
        assertEquals("x", T.render("{{ a | default('x') }}", vars("a", "{{ nope }}")));
        assertEquals(false, T.render("{{ foo is defined }}", vars()));
        assertEquals(true, T.render("{{ foo is undefined }}", vars()));
        assertEquals(false, T.render("{{ foo.bar is defined }}", vars("foo", vars())));
        assertTrue(T.isTrue("foo is not defined or foo.x", vars()));
        // AnsibleUndefined returns itself for attributes and items: chains stay undefined
        Map<String, Object> local = vars("ansible_local", vars("other", 1));
        assertEquals("x", T.render("{{ ansible_local.app.version | default('x') }}", local));
        assertEquals("x", T.render("{{ ansible_local['app']['version'] | default('x') }}", local));
        assertEquals(false, T.render("{{ ansible_local.app.version is defined }}", local));
        assertEquals(false, T.render("{{ nope.x is defined }}", vars()));
        assertEquals(7, T.render("{{ (ansible_local.app.v | default({})).d | default(7) }}", local));
        assertEquals("both", T.render("{{ a.b | default(a.x.y) | default('both') }}", vars("a", vars())));
        TemplateException passed = assertThrows(TemplateException.class, () -> T.render("{{ a.b | default(nope) }}", vars("a", vars())));
        assertEquals("'nope' is undefined", passed.getMessage());
        TemplateException used = assertThrows(TemplateException.class,
            () -> T.render("{{ ansible_local.app.version | upper }}", local));
        assertEquals("'dict object' has no attribute 'app'", used.getMessage());
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ foo | mandatory }}", vars()));
        assertEquals("foo", e.undefinedVariable());
    }

    @Test
    void aFilterThenATestIsTheTestOfTheFilteredValue() throws Exception {
        Map<String, Object> v = vars("x", "/a/b", "foo", List.of(1, 2), "n", "nan");
        assertEquals(true, T.render("{{ x | basename is match('b') }}", v));
        assertEquals(true, T.render("{{ n | float is nan }}", v));
        assertEquals(false, T.render("{{ x | basename is not match('b') and true }}", v));
        assertEquals(List.of(false, true), T.render("{{ [x | dirname is match('b'), foo | first is odd] }}", v));
        assertEquals("y", T.render("{% if foo | map('string') | join('|') is search('1|2') %}y{% endif %}", v));
        assertTrue(T.isTrue("foo | length is divisibleby(2)", v));
        assertTrue(T.isTrue("nope | default('') is not search('y')", v));
        assertTrue(T.isTrue("x is string and 'a|b' is search('|')", v));
    }

    @Test
    void aTrailingCommaInACallAndATupleAloneAreAsInAnsible() throws Exception {
        Map<String, Object> v = vars("foo", List.of(1, 2));
        assertEquals("1,2", T.render("{{ foo | join(',',) }}", v));
        assertEquals("x1", T.render("{{ 'x{}'.format(1, ) }}", v));
        assertEquals(List.of("a"), T.render("{{ [' a'] | map('trim',) | list }}", v));
        // ansible-playbook 2.14: debug msg="{{ () }}" is "()", a tuple's text (no list literal)
        assertEquals("()", T.render("{{ () }}", v));
        assertEquals("(1, 'a')", T.render("{{ (1, 'a') }}", v));
        assertEquals("(1, 1)", T.render("{{ foo | zip(foo) | first }}", v));
        assertEquals(List.of(List.of(1, 1), List.of(2, 2)), T.render("{{ foo | zip(foo) | list }}", v));
        assertEquals(List.of(1, 2), T.evaluate("(1, 2)", v));
        assertEquals(List.of(1, List.of(2, 3)), T.render("{{ [1, [2, 3,], ] }}", v));
        assertEquals(List.of("a,]", "b"), T.render("{{ ['a,]', 'b' ,] }}", v));
        assertEquals(Map.of("a", 1, "b", List.of(1, 2)), T.render("{{ dict(a=1, b=foo,) }}", v));
        assertEquals(Map.of("k", 2, "z", 3), T.render("{{ dict([['k', 2]], z=3) }}", v));
    }

    @Test
    void syntaxErrorIsATemplateException() {
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{% if x %}", vars("x", 1)));
        assertNull(e.undefinedVariable());
        assertThrows(TemplateException.class, () -> T.evaluate("1 +", vars()));
        e = assertThrows(TemplateException.class, () -> T.render("{{ 1 | nofilter }}", vars()));
        assertEquals("template error while templating string: Could not load \"nofilter\": 'nofilter'", e.getMessage());
        assertThrows(TemplateException.class, () -> T.render("{{ 1 is nosuchtest }}", vars()));
        assertThrows(TemplateException.class, () -> T.render("{{ [1] | map('nofilter') | list }}", vars()));
    }

    // ------------------------------------------------------------ conditions

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "x == 1 and y is defined => true",
        "x == 2 => false",
        "result.rc != 0 => false",
        "result is changed => true",
        "result is failed => false",
        "result is succeeded => true",
        "result is skipped => false",
        "'a' in mylist => true",
        "'z' in mylist => false",
        "not flag => true",
        "flag => false",
        "mylist | length > 1 => true",
        "nothing => false",
        "{{ x }} => true",
        "{{ flag }} => false",
        "{{ word }} => true",
        "{{ off }} => false",
        "{{ blank }} => false",
        "True => true",
        "no => false",
        "x is number and name is string => true",
        "name is match('ho') => true",
        "name is search('st$') => true",
        "name is regex('^h.*t$') => true",
        "version is version('2.9.2', '>') => true",
        "version is version('2.9.1', '<=') => false",
        "nested.a.b is defined => true",
        "nested.a.z is defined => false",
        "nested.a.b in [1, 2] => true",
    })
    void conditions(String condition, boolean expected) throws Exception {
        Map<String, Object> v = vars("x", 1, "y", "set", "flag", false, "mylist", List.of("a", "b"),
                "nothing", List.of(), "word", "yes", "off", "off", "blank", "", "name", "host",
                "version", "2.9.10", "nested", vars("a", vars("b", 1)),
                "result", vars("rc", 0, "changed", true, "failed", false));
        assertEquals(expected, T.isTrue(condition, v));
    }

    @Test
    void conditionForms() throws Exception {
        assertTrue(T.isTrue(true, vars()));
        assertFalse(T.isTrue(false, vars()));
        assertFalse(T.isTrue(null, vars()));
        assertTrue(T.isTrue(List.of("x == 1", "y"), vars("x", 1, "y", true)));
        assertFalse(T.isTrue(List.of("x == 1", "y"), vars("x", 1, "y", false)));
        assertTrue(T.isTrue(List.of(), vars()));
        assertTrue(T.isTrue("c", vars("c", "{{ 1 == 1 }}")));
    }

    @Test
    void evaluateReturnsPlainValues() throws Exception {
        assertEquals(3, T.evaluate("x | length", vars("x", List.of(1, 2, 3))));
        assertEquals(List.of("A", "B"), T.evaluate("l | map('upper') | list", vars("l", List.of("a", "b"))));
        assertEquals(Map.of("a", 1, "b", 2), T.evaluate("{'a': 1} | combine({'b': 2})", vars()));
        assertEquals(List.of(2, 3), T.evaluate("[1, 2, 3][1:]", vars()));
        assertEquals("bc", T.evaluate("'abc'[1:]", vars()));
        assertEquals(List.of("a", "b"), T.evaluate("'a,b'.split(',')", vars()));
        assertEquals("a-b", T.evaluate("'{}-{}'.format('a', 'b')", vars()));
    }

    @Test
    void elKeywordsAreOrdinaryNamesAndCollectionPrefixesAreDropped() throws Exception {
        Map<String, Object> v = vars("empty", List.of(), "mod", "m", "eq", 3, "d", vars("div", 7, "mod", "x"));
        assertEquals(0, T.evaluate("empty | length", v));
        assertEquals("m!", T.evaluate("mod ~ '!'", v));
        assertEquals(4, T.evaluate("eq + 1", v));
        assertEquals(7, T.evaluate("d.div", v));
        assertEquals("x", T.render("{{ d.mod }}", v));
        assertEquals("[1, 2]", T.evaluate("[1, 2] | ansible.builtin.to_json", v));
        assertEquals(true, T.evaluate("'a' is ansible.builtin.string", v));
        assertEquals(2, T.evaluate("d | community.general.dict2items | length", v));
        assertEquals(System.getenv("PATH"), T.evaluate("lookup('ansible.builtin.env', 'PATH')", v));
    }

    // ------------------------------------------------------------ template module text

    @Test
    void renderTextTrimsBlocksAndKeepsTrailingNewline() throws Exception {
        // expected values produced by ansible-core 2.14's Templar
        Map<String, Object> v = vars("l", List.of(1, 2));
        assertEquals("yes\n", T.renderText("{% if true %}\nyes\n{% endif %}\n", v));
        assertEquals("a\n\n", T.renderText("a\n\n", v));
        assertEquals("a\n", T.renderText("a\n", v));
        assertEquals("1\n2\n", T.renderText("{% for i in l %}\n{{ i }}\n{% endfor %}", v));
        assertEquals("  x\n  \n", T.renderText("  {% if true %}\nx\n  {% endif %}\n", v));
        assertEquals("n: 1\n", T.renderText("{# c #}\nn: {{ l[0] }}\n", v));
        assertEquals("{{ raw }}\n", T.renderText("{% raw %}{{ raw }}{% endraw %}\n", v));
        assertEquals("x", T.renderText("x", v));
    }

    // ------------------------------------------------------------ lookups

    @Test
    void lookups(@TempDir Path dir) throws Exception {
        Path pb = Files.createDirectories(dir.resolve("play"));
        Files.createDirectories(pb.resolve("files"));
        Files.createDirectories(pb.resolve("templates"));
        Path role = Files.createDirectories(dir.resolve("role"));
        Files.createDirectories(role.resolve("files"));
        Files.writeString(pb.resolve("files/a.txt"), "from playbook files\n\n");
        Files.writeString(pb.resolve("b.txt"), "from playbook dir");
        Files.writeString(role.resolve("files/a.txt"), "from role files\n");
        Files.writeString(pb.resolve("templates/t.j2"), "{% if true %}\nhello {{ who }}\n{% endif %}\n");
        Map<String, Object> v = vars("playbook_dir", pb.toString(), "who", "{{ name }}", "name", "world");
        assertEquals("from playbook files", T.render("{{ lookup('file', 'a.txt') }}", v));
        assertEquals("from playbook dir", T.render("{{ lookup('file', 'b.txt') }}", v));
        assertEquals("hello world\n", T.render("{{ lookup('template', 't.j2') }}", v));
        Files.writeString(pb.resolve("templates/inc.j2"), "[{% include 't.j2' %}]");
        assertEquals("[hello world\n]", T.renderText("{% include 'inc.j2' %}", v));
        assertThrows(TemplateException.class, () -> T.renderText("{% include 'nowhere.j2' %}", v));
        assertEquals(List.of("from playbook files", "from playbook dir"), T.render("{{ query('file', 'a.txt', 'b.txt') }}", v));
        assertEquals("from playbook files,from playbook dir", T.render("{{ lookup('file', 'a.txt', 'b.txt') }}", v));
        v.put("role_path", role.toString());
        assertEquals("from role files", T.render("{{ lookup('file', 'a.txt') }}", v));
        assertThrows(TemplateException.class, () -> T.render("{{ lookup('file', 'missing.txt') }}", vars()));
        String path = System.getenv("PATH");
        assertEquals(path, T.render("{{ lookup('env', 'PATH') }}", vars()));
        assertEquals(List.of(path), T.render("{{ q('env', 'PATH') }}", vars()));
        assertEquals("", T.render("{{ lookup('env', 'DROVER_SURELY_UNSET_VAR') }}", vars()));
        assertEquals("hi there", T.render("{{ lookup('pipe', 'echo hi there') }}", vars()));
        assertEquals(List.of(1, 2), T.render("{{ lookup('list', [1, 2]) }}", vars()));
        assertEquals("v!", T.render("{{ lookup('vars', 'a') }}", vars("a", "{{ b }}!", "b", "v")));
        assertEquals(5000, T.render("{{ range(5000) | length }}", vars()));
        assertEquals(java.time.Year.now(java.time.ZoneOffset.UTC).getValue(), T.render("{{ now(utc=true).year }}", vars()));
        assertTrue(((String) T.render("{{ now(fmt='%Y-%m-%d') }}", vars())).matches("\\d{4}-\\d\\d-\\d\\d"));
        assertEquals("1 2 3 ", T.render("{% for i in range(1, 4) %}{{ loop.index }} {% endfor %}", vars()));
    }

    // ------------------------------------------------------------ printing and truthiness

    @Test
    void toPythonAndTruthy() {
        assertEquals("['a', 1, None, True, 2.5, {'k': [False]}]",
                Templar.toPython(Arrays.asList("a", 1, null, true, 2.5, Map.of("k", List.of(false)))));
        assertEquals("\"it's\"", Templar.toPython("it's"));
        assertEquals("'a\\nb'", Templar.toPython("a\nb"));
        assertEquals("1e+20", Templar.toPython(1e20));
        assertEquals("1e-05", Templar.toPython(0.00001));
        assertEquals("15000000000.0", Templar.toPython(1.5e10));
        assertEquals("1180591620717411303424", Templar.toPython(new java.math.BigInteger("1180591620717411303424")));
        assertFalse(Templar.truthy(null));
        assertFalse(Templar.truthy(0));
        assertFalse(Templar.truthy(0.0));
        assertFalse(Templar.truthy(""));
        assertFalse(Templar.truthy(List.of()));
        assertFalse(Templar.truthy(Map.of()));
        assertTrue(Templar.truthy("False"));
        assertTrue(Templar.truthy(List.of(0)));
        assertTrue(Templar.truthy(-1L));
    }

    @Test
    void isTemplated() {
        assertTrue(Templar.isTemplated("a {{ b }}"));
        assertTrue(Templar.isTemplated("{% if x %}{% endif %}"));
        assertTrue(Templar.isTemplated("{# c #}"));
        assertFalse(Templar.isTemplated("plain { text }"));
        assertFalse(Templar.isTemplated(null));
    }

    // ------------------------------------------------------------ threads

    @Test
    void rendersFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    Map<String, Object> v = vars("host", "h" + n, "msg", "{{ host }}-{{ n * 2 }}", "n", n,
                            "items", List.of("{{ host }}", n));
                    String text = (String) T.render("{{ msg }} {{ items | map('string') | join(',') }}", v);
                    if (n % 7 == 0) {
                        try {
                            T.render("{{ missing_" + n + " }}", v);
                            return "no error";
                        } catch (TemplateException e) {
                            if (!("missing_" + n).equals(e.undefinedVariable())) {
                                return "wrong error " + e.getMessage();
                            }
                        }
                    }
                    return text;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals("h" + i + "-" + (i * 2) + " h" + i + "," + i, futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void warmUpThenCreate() throws Exception {
        Templar.warmUpAsync();
        Templar t = Templar.create();
        assertEquals("ok", t.render("{{ 'OK' | lower }}", vars()));
    }

    @Test
    void unsafeYamlValuesAreNeverTemplated() throws Exception {
        Map<?, ?> data = (Map<?, ?>) dev.drover.yaml.YamlLoader.loadData(
                "a: !unsafe '{{ nope }} {% if x %} {# c #}'\nb: !unsafe plain\nc: !unsafe 'x {% endraw %} y {{ z }}'\n", "t.yml");
        Templar t = Templar.create();
        Map<String, Object> vars = new java.util.HashMap<>();
        data.forEach((k, v) -> vars.put(String.valueOf(k), v));
        vars.put("via", "{{ a }}!");
        assertEquals("{{ nope }} {% if x %} {# c #}", t.render(data.get("a"), vars));
        assertEquals("plain", data.get("b"));
        assertEquals("x {% endraw %} y {{ z }}", t.render(data.get("c"), vars));
        // through another variable, too
        assertEquals("{{ nope }} {% if x %} {# c #}!", t.render("{{ via }}", vars));
        assertEquals("{{ nope }} {% if x %} {# c #}", t.render("{{ a }}", vars));
    }

    @Test
    void passwordLookupCreatesTheFileOnceAndReadsItBack(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Templar t = Templar.create();
        Map<String, Object> vars = Map.of("playbook_dir", dir.toString());
        String first = (String) t.render("{{ lookup('password', 'creds/db length=12 chars=ascii_lowercase,digits') }}", vars);
        assertTrue(first.matches("[a-z0-9]{12}"), first);
        Path file = dir.resolve("creds/db");
        assertEquals(first + "\n", Files.readString(file));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file.getParent())));
        // later runs reuse it, whatever length they ask for; the part before " salt=" is the password
        assertEquals(first, t.render("{{ lookup('password', 'creds/db length=30') }}", vars));
        Files.writeString(dir.resolve("old"), "s3cret salt=abcdefgh\n");
        assertEquals("s3cret", t.render("{{ lookup('password', '" + dir.resolve("old") + "') }}", vars));
        // /dev/null: a fresh password each time, nothing stored
        assertEquals(20, ((String) t.render("{{ lookup('password', '/dev/null') }}", vars)).length());
        TemplateException e = assertThrows(TemplateException.class,
                () -> t.render("{{ lookup('password', 'x lenght=3') }}", vars));
        assertEquals("Unrecognized parameter(s) given to password lookup: lenght", e.getMessage());
    }

    @Test
    void inventoryHostnamesAsksTheControllerTheRunGave() throws Exception {
        Templar t = Templar.create(pattern -> pattern.equals("web:!w2") ? List.of("w1", "w3") : List.of());
        assertEquals("w1,w3", t.render("{{ lookup('inventory_hostnames', 'web:!w2') }}", Map.of()));
        assertEquals(List.of("w1", "w3"), t.render("{{ query('inventory_hostnames', 'web', '!w2') }}", Map.of()));
        TemplateException e = assertThrows(TemplateException.class,
                () -> Templar.create().render("{{ lookup('inventory_hostnames', 'all') }}", Map.of()));
        assertTrue(e.getMessage().contains("no inventory"), e.getMessage());
    }

    @Test
    void unvaultDecryptsWithTheRunsKeyring(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        VaultSecret secret = new VaultSecret("default", "pw".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("files"));
        Files.writeString(dir.resolve("files/s.txt"), VaultFormat.encrypt("hidden\n".getBytes(StandardCharsets.UTF_8), secret));
        Runnable undo = Keyring.install(new Keyring(List.of(secret)));
        try {
            assertEquals("hidden\n", Templar.create().render("{{ lookup('unvault', 's.txt') }}", Map.of("playbook_dir", dir.toString())));
            assertEquals("the ******** word", Keyring.current().mask("the hidden word"));
        } finally {
            undo.run();
        }
    }
}
