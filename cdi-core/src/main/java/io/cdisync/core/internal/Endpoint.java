package io.cdisync.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.CatalogRequest;
import io.cdisync.braze.DeleteRequest;
import io.cdisync.braze.EncodedObject;
import io.cdisync.braze.EncodedTrackRequest;
import io.cdisync.braze.ObjectError;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.UserIdentifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a data type's objects go: what one request may hold, how a batch becomes a request, and how
 * Braze's answer maps back to the batch's objects. Limits come from {@link BrazeLimits} and the client's
 * settings ({@link BrazeClient#trackObjectsPerRequest()}, {@link BrazeClient#maxRequestBytes()}).
 */
abstract class Endpoint {
    private final Lanes.Limits limits;

    Endpoint(int rows, long maxRequestBytes, int framingBytes, boolean uniqueKeys) {
        this.limits = new Lanes.Limits(rows, maxRequestBytes, framingBytes, uniqueKeys);
    }

    /** What one request may hold: rows, body bytes, and whether a key may appear twice. */
    final Lanes.Limits limits() {
        return limits;
    }

    /** Objects per request. */
    final int batchLimit() {
        return limits.rows();
    }

    /** Rows of different kinds go in different requests. */
    int kind(RowTranslator.Translated translated) {
        return 0;
    }

    /** What may not appear twice in one request (catalog item ids), or null. */
    Object key(RowTranslator.Translated translated) {
        return null;
    }

    /** The row's size in the request body, in bytes (an upper bound where the client builds the body itself). */
    int bytes(RowTranslator.Translated translated) {
        return translated.encoded() != null ? translated.encoded().length() : treeBytes(translated.object());
    }

    /** Sends one batch; every object of a batch has the same {@code delete} flag. */
    abstract CompletableFuture<BrazeResponse> send(BrazeClient braze, List<RowTranslator.Translated> batch);

    /** Braze's refusals, by index in the batch. */
    abstract Map<Integer, ObjectError> errors(BrazeResponse response, List<RowTranslator.Translated> batch);

    /** A problem in an answer that is no row's fault and must end the run, or null. */
    String globalError(BrazeResponse response) {
        return null;
    }

    /**
     * The endpoint of a data type.
     *
     * @param trackObjects    objects per {@code /users/track} request (the client's plan)
     * @param maxRequestBytes largest request body the client sends
     */
    static Endpoint of(DataType dataType, String catalog, int trackObjects, long maxRequestBytes) {
        return switch (dataType) {
            case USER_ATTRIBUTES -> new Track("attributes", trackObjects, maxRequestBytes);
            case CUSTOM_EVENTS -> new Track("events", trackObjects, maxRequestBytes);
            case PURCHASES -> new Track("purchases", trackObjects, maxRequestBytes);
            case USER_DELETES -> new Delete(maxRequestBytes);
            case CATALOG_ITEMS -> new Catalog(catalog, maxRequestBytes);
        };
    }

    /** The endpoint for a run, with the client's limits. */
    static Endpoint of(DataType dataType, String catalog, BrazeClient braze) {
        return of(dataType, catalog, braze.trackObjectsPerRequest(), braze.maxRequestBytes());
    }

    /** Serialized size of a tree, counted without keeping the bytes. */
    private static int treeBytes(ObjectNode object) {
        CountingStream counter = new CountingStream();
        try {
            Payloads.JSON.writeValue(counter, object);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an object does not serialize: " + e.getMessage(), e);
        }
        return (int) Math.min(Integer.MAX_VALUE, counter.count);
    }

    private static final class CountingStream extends java.io.OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static List<ObjectNode> objects(List<RowTranslator.Translated> batch) {
        List<ObjectNode> objects = new ArrayList<>(batch.size());
        for (RowTranslator.Translated translated : batch) {
            objects.add(translated.object());
        }
        return objects;
    }

    /** {@code /users/track}, one array per data type. */
    static final class Track extends Endpoint {
        private final String array;

        Track(String array, int objects, long maxRequestBytes) {
            // The body is {"<array>":[<object>,...]}: the objects, a comma between two, and this framing.
            super(objects, maxRequestBytes, ("{\"" + array + "\":[]}").length(), false);
            this.array = array;
        }

        @Override
        CompletableFuture<BrazeResponse> send(BrazeClient braze, List<RowTranslator.Translated> batch) {
            List<EncodedObject> objects = new ArrayList<>(batch.size());
            for (RowTranslator.Translated translated : batch) {
                objects.add(translated.encoded());
            }
            EncodedTrackRequest.Array target = switch (array) {
                case "events" -> EncodedTrackRequest.Array.EVENTS;
                case "purchases" -> EncodedTrackRequest.Array.PURCHASES;
                default -> EncodedTrackRequest.Array.ATTRIBUTES;
            };
            return braze.track(new EncodedTrackRequest(target, objects));
        }

        @Override
        Map<Integer, ObjectError> errors(BrazeResponse response, List<RowTranslator.Translated> batch) {
            return response.errors().isEmpty() ? Map.of() : response.errorsByIndex(array);
        }
    }

    /**
     * {@code /users/delete}: one identifier kind per request ({@code external_ids}, {@code user_aliases} or
     * {@code braze_ids}), as Braze requires.
     */
    static final class Delete extends Endpoint {
        Delete(long maxRequestBytes) {
            super(BrazeLimits.DELETE_IDENTIFIERS_PER_REQUEST, maxRequestBytes, "{\"external_ids\":[]}".length(), false);
        }

        @Override
        int kind(RowTranslator.Translated translated) {
            UserIdentifier identifier = translated.identifier();
            return identifier instanceof UserIdentifier.ExternalId ? 0 : identifier instanceof UserIdentifier.Alias ? 1 : 2;
        }

        @Override
        CompletableFuture<BrazeResponse> send(BrazeClient braze, List<RowTranslator.Translated> batch) {
            List<String> externalIds = new ArrayList<>();
            List<DeleteRequest.UserAlias> aliases = new ArrayList<>();
            List<String> brazeIds = new ArrayList<>();
            for (RowTranslator.Translated translated : batch) {
                UserIdentifier identifier = translated.identifier();
                if (identifier instanceof UserIdentifier.ExternalId id) {
                    externalIds.add(id.value());
                } else if (identifier instanceof UserIdentifier.Alias alias) {
                    aliases.add(new DeleteRequest.UserAlias(alias.name(), alias.label()));
                } else if (identifier instanceof UserIdentifier.BrazeId id) {
                    brazeIds.add(id.value());
                } else {
                    throw new IllegalStateException("user deletes take external ids, aliases or Braze ids, not " + identifier);
                }
            }
            return braze.deleteUsers(new DeleteRequest(externalIds, aliases, brazeIds));
        }

        @Override
        Map<Integer, ObjectError> errors(BrazeResponse response, List<RowTranslator.Translated> batch) {
            return Map.of(); // Braze reports a count of deletions, not per-identifier outcomes
        }
    }

    /**
     * Catalog items of one catalog: upserts and deletes in separate requests, and an item id at most once per
     * request (Braze refuses the whole request otherwise: {@code ids-not-unique}).
     */
    static final class Catalog extends Endpoint {
        private final String catalog;

        Catalog(String catalog, long maxRequestBytes) {
            super(BrazeLimits.CATALOG_ITEMS_PER_REQUEST, maxRequestBytes, "{\"items\":[]}".length(), true);
            this.catalog = catalog;
        }

        @Override
        int kind(RowTranslator.Translated translated) {
            return translated.delete() ? 1 : 0;
        }

        @Override
        Object key(RowTranslator.Translated translated) {
            return translated.itemId();
        }

        @Override
        CompletableFuture<BrazeResponse> send(BrazeClient braze, List<RowTranslator.Translated> batch) {
            CatalogRequest.Operation operation = batch.get(0).delete() ? CatalogRequest.Operation.DELETE
                    : CatalogRequest.Operation.UPSERT;
            return braze.catalogItems(new CatalogRequest(catalog, operation, objects(batch)));
        }

        @Override
        String globalError(BrazeResponse response) {
            for (ObjectError error : response.errors()) {
                String text = (error.message() + " " + error.id()).toLowerCase(java.util.Locale.ROOT);
                if (text.contains("limit-exceeded") || text.contains("limit exceeded") || text.contains("out of space")) {
                    return "catalog " + catalog + " is out of space (Braze answered '" + error.message() + "'); raise the"
                            + " catalog's item limit or remove items, then run the sync again";
                }
            }
            return null;
        }

        @Override
        Map<Integer, ObjectError> errors(BrazeResponse response, List<RowTranslator.Translated> batch) {
            if (response.errors().isEmpty()) {
                return Map.of();
            }
            Map<String, Integer> indexById = new HashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                indexById.putIfAbsent(batch.get(i).itemId(), i);
            }
            Map<Integer, ObjectError> errors = new HashMap<>();
            for (ObjectError error : response.errors()) {
                int index = error.index() >= 0 && error.index() < batch.size() ? error.index()
                        : indexById.getOrDefault(error.id(), -1);
                if (index >= 0) {
                    errors.put(index, error);
                }
            }
            return errors;
        }
    }
}
