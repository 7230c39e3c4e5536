package dev.drover.template;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/** Python attribute/item access and str/dict methods, ahead of jinjava's Java-bean resolvers. */
final class PyResolver extends ELResolver {

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base == null) {
            return null;
        }
        if (base instanceof Undefined) {
            // AnsibleUndefined's __getattr__/__getitem__ return the undefined itself: a.b.c of a
            // missing a.b stays undefined (naming the first missing attribute) until it is used
            context.setPropertyResolved(true);
            return base;
        }
        if (base instanceof Map<?, ?> m) {
            context.setPropertyResolved(true);
            Object key = property;
            if (m.containsKey(key)) {
                return m.get(key);
            }
            if (key instanceof Long l && m.containsKey(l.intValue())) {
                return m.get(l.intValue());
            }
            if (key instanceof Number n && m.containsKey(n.toString())) {
                return m.get(n.toString());
            }
            return new Undefined("'dict object' has no attribute '" + key + "'", null);
        }
        if (base instanceof List<?> list) {
            List<?> l = (List<?>) Py.unwrapTuple(list);
            Integer index = index(property);
            context.setPropertyResolved(true);
            if (index == null && l instanceof Py.Tuple t && t.fields != null && t.fields.contains(String.valueOf(property))) {
                return t.get(t.fields.indexOf(String.valueOf(property)));
            }
            if (index == null) {
                return new Undefined("'list object' has no attribute '" + property + "'", null);
            }
            int i = index < 0 ? index + l.size() : index;
            if (i < 0 || i >= l.size()) {
                return new Undefined("list object has no element " + index, null);
            }
            return l.get(i);
        }
        if (base instanceof String s) {
            Integer index = index(property);
            context.setPropertyResolved(true);
            if (index == null) {
                return new Undefined("'str object' has no attribute '" + property + "'", null);
            }
            int i = index < 0 ? index + s.length() : index;
            if (i < 0 || i >= s.length()) {
                return new Undefined("string index out of range", null);
            }
            return String.valueOf(s.charAt(i));
        }
        return null;
    }

    private static Integer index(Object property) {
        if (property instanceof Number n && !(property instanceof Double)) {
            return n.intValue();
        }
        if (property instanceof String s && s.matches("-?\\d+")) {
            return Integer.parseInt(s);
        }
        return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base instanceof Undefined u) {
            throw u.fail();
        }
        if (base == null || method == null) {
            return null;
        }
        String name = method.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result = NOT_HANDLED;
        if (base instanceof String || base instanceof Map) {
            for (Object a : args) {
                if (a instanceof Undefined u) {
                    throw u.fail();
                }
            }
        }
        if (base instanceof String s) {
            result = PyStr.call(s, name, args);
        } else if (base instanceof Map<?, ?> m) {
            result = dictMethod(m, name, args);
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    static final Object NOT_HANDLED = new Object();

    private static Object dictMethod(Map<?, ?> m, String name, Object[] args) {
        switch (name) {
            case "items": {
                List<Object> out = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.add(new Py.Tuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
                }
                return out;
            }
            case "keys":
                return new ArrayList<>(m.keySet());
            case "values":
                return new ArrayList<>(m.values());
            case "get": {
                if (args.length == 0) {
                    return NOT_HANDLED;
                }
                Object k = args[0];
                if (m.containsKey(k)) {
                    return m.get(k);
                }
                return args.length > 1 ? args[1] : null;
            }
            case "copy":
                return new java.util.LinkedHashMap<>(m);
            default:
                return NOT_HANDLED;
        }
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return Object.class;
    }
}
