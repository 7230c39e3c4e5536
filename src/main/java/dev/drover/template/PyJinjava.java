package dev.drover.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import java.util.Collection;
import java.util.Map;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.ExpressionFactory;

/** jinjava whose EL converts values to text as Python's str() does (for "~" and friends). */
final class PyJinjava extends Jinjava {
    private final ExpressionFactory factory;

    PyJinjava(JinjavaConfig config) {
        super(config);
        factory = new ExpressionFactoryImpl(new TreeStore(new PySyntax(), new Cache(2000)), new PyTypeConverter());
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
        return factory;
    }

    static final class PyTypeConverter extends TruthyTypeConverter {
        private static final long serialVersionUID = 1L;

        @Override
        public <T> T convert(Object value, Class<T> type) {
            if (value instanceof Undefined u && type != Object.class && !type.isInstance(value)) {
                throw u.fail();
            }
            return super.convert(value, type);
        }

        @Override
        protected String coerceToString(Object value) {
            if (value instanceof Undefined u) {
                throw u.fail();
            }
            if (value instanceof Boolean || value instanceof Double || value instanceof Float
                    || value instanceof Map || value instanceof Collection) {
                return Py.str(value);
            }
            return super.coerceToString(value);
        }
    }
}
