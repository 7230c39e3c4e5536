package dev.drover.template;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read-only views over variables that render template strings when a value is read. */
final class Lazy {
    private Lazy() {
    }

    /** Wraps raw variable data: maps and lists become lazy views, template strings are rendered. */
    static Object value(Object container, Object key, Object raw) {
        if (raw instanceof String s) {
            return Templar.isTemplated(s) ? Engine.renderVariable(container, key, s) : s;
        }
        if (raw instanceof LazyMap || raw instanceof LazyList) {
            return raw;
        }
        if (raw instanceof Map<?, ?> m) {
            return new LazyMap(m);
        }
        if (raw instanceof List<?> l) {
            return new LazyList(l);
        }
        return raw;
    }

    static final class LazyMap extends AbstractMap<Object, Object> {
        final Map<?, ?> raw;

        LazyMap(Map<?, ?> raw) {
            this.raw = raw;
        }

        @Override
        public Object get(Object key) {
            Object v = raw.get(key);
            if (v == null && !raw.containsKey(key)) {
                return null;
            }
            return value(raw, key, v);
        }

        @Override
        public boolean containsKey(Object key) {
            return raw.containsKey(key);
        }

        @Override
        public int size() {
            return raw.size();
        }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<Object, Object>> iterator() {
                    Iterator<? extends Entry<?, ?>> it = raw.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<Object, Object> next() {
                            Entry<?, ?> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), value(raw, e.getKey(), e.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return raw.size();
                }
            };
        }
    }

    static final class LazyList extends AbstractList<Object> {
        final List<?> raw;

        LazyList(List<?> raw) {
            this.raw = raw;
        }

        @Override
        public Object get(int index) {
            return value(raw, index, raw.get(index));
        }

        @Override
        public int size() {
            return raw.size();
        }
    }
}
