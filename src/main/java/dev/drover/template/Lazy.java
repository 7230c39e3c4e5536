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
        if (raw instanceof dev.drover.yaml.Vaulted v) {
            return Engine.reveal(v);
        }
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

    /**
     * A map view; a write ({@code d.update(...)} in a template) copies the raw data first, so
     * the caller's variables are never changed.
     */
    /** Like {@link #value}, but the same map/list view is handed out for the same slot. */
    static Object view(Map<Object, Object> views, Object container, Object key, Object raw) {
        if (raw instanceof Map || raw instanceof List) {
            Object cached = views.get(key);
            if (cached instanceof LazyMap m && m.source == raw || cached instanceof LazyList l && l.source == raw) {
                return cached;
            }
            Object v = value(container, key, raw);
            views.put(key, v);
            return v;
        }
        return value(container, key, raw);
    }

    static final class LazyMap extends AbstractMap<Object, Object> {
        Map<?, ?> raw;
        private boolean copied;

        final Object source;

        LazyMap(Map<?, ?> raw) {
            this.raw = raw;
            this.source = raw;
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> writable() {
            if (!copied) {
                raw = new java.util.LinkedHashMap<>(raw);
                copied = true;
            }
            return (Map<Object, Object>) raw;
        }

        @Override
        public Object put(Object key, Object value) {
            return writable().put(key, value);
        }

        @Override
        public Object remove(Object key) {
            return writable().remove(key);
        }

        private final Map<Object, Object> views = new java.util.HashMap<>();

        @Override
        public Object get(Object key) {
            Object v = raw.get(key);
            if (v == null && !raw.containsKey(key)) {
                return null;
            }
            return view(views, raw, key, v);
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
                            return new SimpleImmutableEntry<>(e.getKey(), view(views, raw, e.getKey(), e.getValue()));
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

    /** A list view; writes copy the raw data first, as for {@link LazyMap}. */
    static final class LazyList extends AbstractList<Object> {
        List<?> raw;
        private boolean copied;

        final Object source;

        LazyList(List<?> raw) {
            this.raw = raw;
            this.source = raw;
        }

        @SuppressWarnings("unchecked")
        private List<Object> writable() {
            if (!copied) {
                raw = new java.util.ArrayList<>(raw);
                copied = true;
            }
            return (List<Object>) raw;
        }

        @Override
        public void add(int index, Object element) {
            writable().add(index, element);
        }

        @Override
        public Object set(int index, Object element) {
            return writable().set(index, element);
        }

        @Override
        public Object remove(int index) {
            return writable().remove(index);
        }

        private final Map<Object, Object> views = new java.util.HashMap<>();

        @Override
        public Object get(int index) {
            return view(views, raw, index, raw.get(index));
        }

        @Override
        public int size() {
            return raw.size();
        }
    }
}
