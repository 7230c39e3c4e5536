package dev.drover.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.CollectionMembershipOperator;
import com.hubspot.jinjava.el.ext.CollectionNonMembershipOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;

/** jinjava's syntax with Python's meaning for {@code *} on sequences and {@code %} on strings and numbers. */
final class PySyntax extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    PySyntax() {
        // what ExpressionFactoryImpl's default (JEE6) profile gives jinjava's own builder
        super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
    }

    @Override
    protected Parser createParser(String expression) {
        return new PyParser(this, expression);
    }

    static final class PyParser extends ExtendedParser {
        PyParser(Builder builder, String input) {
            super(builder, input);
            putExtensionHandler(CollectionMembershipOperator.TOKEN, binary(CollectionMembershipOperator.HANDLER, IN));
            putExtensionHandler(CollectionNonMembershipOperator.TOKEN,
                    binary(CollectionNonMembershipOperator.HANDLER, NOT_IN));
        }

        private static Parser.ExtensionHandler binary(Parser.ExtensionHandler like, AstBinary.Operator op) {
            return new Parser.ExtensionHandler(like.getExtensionPoint()) {
                @Override
                public AstNode createAstNode(AstNode... children) {
                    return new AstBinary(children[0], children[1], op);
                }
            };
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            if (operator == AstBinary.MUL) {
                return super.createAstBinary(left, right, MUL);
            }
            if (operator == AstBinary.MOD) {
                return super.createAstBinary(left, right, MOD);
            }

            return super.createAstBinary(left, right, operator);
        }
    }

    static final AstBinary.Operator MUL = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            Jinja.check(a);
            Jinja.check(b);
            if (isInt(b) && (a instanceof CharSequence || a instanceof Collection)) {
                return repeat(a, ((Number) b).intValue());
            }
            if (isInt(a) && (b instanceof CharSequence || b instanceof Collection)) {
                return repeat(b, ((Number) a).intValue());
            }
            return NumberOperations.mul(bindings, a, b);
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    static final AstBinary.Operator MOD = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            Jinja.check(a);
            Jinja.check(b);
            if (a instanceof CharSequence s) {
                List<?> args = b != null && b.getClass() == PyList.class ? (List<?>) b : java.util.Collections.singletonList(b);
                return PyFormat.percent(s.toString(), args);
            }
            if (isInt(a) && isInt(b)) {
                long y = ((Number) b).longValue();
                if (y == 0) {
                    throw Engine.fail(new TemplateException("integer division or modulo by zero"));
                }
                return Math.floorMod(((Number) a).longValue(), y);
            }
            if (a instanceof Number x && b instanceof Number y) {
                double d = y.doubleValue();
                return x.doubleValue() - d * Math.floor(x.doubleValue() / d);
            }
            return NumberOperations.mod(bindings, a, b);
        }

        @Override
        public String toString() {
            return "%";
        }
    };

    static final AstBinary.Operator IN = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            return in(left.eval(bindings, context), right.eval(bindings, context));
        }

        @Override
        public String toString() {
            return "in";
        }
    };

    static final AstBinary.Operator NOT_IN = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            return !in(left.eval(bindings, context), right.eval(bindings, context));
        }

        @Override
        public String toString() {
            return "not in";
        }
    };

    private static boolean in(Object needle, Object haystack) {
        Jinja.check(needle);
        Jinja.check(haystack);
        if (haystack instanceof CharSequence && !(needle instanceof CharSequence)) {
            throw Engine.fail(new TemplateException("'in <string>' requires string as left operand, not "
                    + Jinja.typeName(needle)));
        }
        return Jinja.inTest(needle, haystack);
    }

    private static boolean isInt(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof java.math.BigInteger;
    }

    private static Object repeat(Object seq, int n) {
        if (seq instanceof CharSequence s) {
            return n <= 0 ? "" : s.toString().repeat(n);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll((Collection<?>) seq);
        }
        return out;
    }
}
