package dev.drover.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The root names a template or expression reads, without rendering it (Templar.referencedNames). */
class ReferencesTest {

    private static Set<String> names(String csv) {
        return csv == null || csv.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(csv.trim().split("\\s+")));
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '§', quoteCharacter = '`', value = {
            "plain text§",
            "{{ foo }}§foo",
            "a {{ foo }} b {{ bar }}§bar foo",
            "{{ foo.bar.baz }}§foo",
            "{{ foo['bar'] }}§foo",
            "{{ foo[bar] }}§bar foo",
            "{{ foo[0].x }}§foo",
            "{{ x.0 }}§x",
            "{{ 'foo' ~ \"bar\" }}§",
            "{{ 'it''s {{ a }}' }}§",
            "{{ foo | upper }}§foo",
            "{{ foo | ansible.builtin.to_json }}§foo",
            "{{ foo | join(sep) }}§foo sep",
            "{{ foo | map(attribute='name') | list }}§foo",
            "{{ foo | selectattr('x', 'equalto', y) | list }}§foo y",
            "{{ foo | default('x') }}§",
            "{{ foo | d(1) }}§",
            "{{ foo.bar | default(omit) }}§",
            "{{ foo | lower | default('') }}§",
            "{{ foo | mandatory }}§",
            "{{ foo | default(bar) }}§",
            "{{ foo | ansible.builtin.default(1) }}§",
            "{{ a + b | default(0) }}§a",
            "{{ foo | default(1, true) }}§",
            "{{ foo if foo is defined else 'x' }}§",
            "{{ 'x' if foo is not defined else foo }}§",
            "{{ foo is undefined }}§",
            "{{ foo.bar is defined }}§",
            "{{ foo is string }}§foo",
            "{{ foo is ansible.builtin.defined }}§",
            "{{ (foo | int) > 2 }}§foo",
            "{{ lookup('env', 'HOME') }}§",
            "{{ query('vars', name) }}§name",
            "{{ q('items', l) }}§l",
            "{{ range(1, n) | list }}§n",
            "{{ dict(a=1, b=c) }}§c",
            "{{ now() }}§",
            "{{ lipsum(2) }}§",
            "{{ true and false or none }}§",
            "{{ True or False or None }}§",
            "{{ not x in y }}§x y",
            "{{ x.split(',', maxsplit=1) }}§x",
            "{{ {'k': v, w: 1} }}§v w",
            "{{ [a, b, 'c'] }}§a b",
            "{{ a ~ b * 2 // 3 ** 4 }}§a b",
            "{{ -x }}§x",
            "{{- x -}}§x",
            "{% for i in items %}{{ i }}{{ loop.index }}{% endfor %}§items",
            "{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}§d",
            "{% for x in xs if x > lim %}{{ x }}{% endfor %}§lim xs",
            "{% set total = a + 1 %}{{ total }}§a",
            "{% set ns = namespace(found=false) %}{% set ns.found = flag %}{{ ns.found }}§flag",
            "{% set block %}text{% endset %}{{ block }}§",
            "{% if enabled %}on{% elif other %}x{% else %}off{% endif %}§enabled other",
            "{% macro m(a, b=dflt) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1) }}§c dflt",
            "{% raw %}{{ not_a_var }}{% endraw %}{{ real }}§real",
            "{# {{ commented }} #}{{ shown }}§shown",
            "{{ x }}{% unknowntag y %}§",
            "{{ unterminated §",
            "{% with a = b %}{{ a }}{% endwith %}§b",
            "{{ hostvars[inventory_hostname]['x'] }}§hostvars inventory_hostname",
            "{{ groups['web'] | length }}§groups",
            "{{ '%s-%d' % (name, n) }}§n name",
            "{{ foo() }}§foo",
            "{{ x is divisibleby(y) }}§x y",
            "{{ a.b(c).d[e] | default(f) }}§",
    })
    void template(String template, String expected) {
        assertEquals(names(expected), new TreeSet<>(Templar.referencedNames(template)));
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '§', quoteCharacter = '`', value = {
            "foo§foo",
            "foo == 'bar'§foo",
            "foo is defined§",
            "foo is defined and foo > 1§",
            "foo is not defined or foo == 2§",
            "result.rc != 0§result",
            "result is changed§result",
            "result is succeeded and other is failed§other result",
            "'abc' in output.stdout§output",
            "x | bool§x",
            "x | default(false) | bool§",
            "not (x | bool)§x",
            "(a or b) is defined§",
            "true§",
            "yes§",
            "False§",
            "no§",
            "\"{{ foo }}\" == 'x'§foo",
            "{{ foo }}§foo",
            "inventory_hostname in groups['web']§groups inventory_hostname",
            "item.name == wanted§item wanted",
            "x.y.z | int > 0§x",
    })
    void expression(String expression, String expected) {
        assertEquals(names(expected), new TreeSet<>(Templar.referencedNamesInExpression(expression)));
    }

    @ParameterizedTest(name = "{0} guards [{1}]")
    @CsvSource(delimiter = '§', quoteCharacter = '`', value = {
            "foo is defined§foo",
            "foo.bar is undefined§foo",
            "foo | default(bar)§bar foo",
            "a + b | d(0)§b",
            "x is string§",
    })
    void guarded(String expression, String expected) {
        assertEquals(names(expected), new TreeSet<>(Templar.referencesInExpression(expression).guarded()));
    }
}
