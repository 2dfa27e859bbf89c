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
 * Where a data type's objects go: the request size limit, how a batch becomes a request, and how
 * Braze's answer maps back to the batch's objects. Limits come from {@link BrazeLimits}.
 */
abstract class Endpoint {
    /** Objects per request. */
    abstract int batchLimit();

    /** Sends one batch; every object of a batch has the same {@code delete} flag. */
    abstract CompletableFuture<BrazeResponse> send(BrazeClient braze, List<RowTranslator.Translated> batch);

    /** Braze's refusals, by index in the batch. */
    abstract Map<Integer, ObjectError> errors(BrazeResponse response, List<RowTranslator.Translated> batch);

    /** A problem in an answer that is no row's fault and must end the run, or null. */
    String globalError(BrazeResponse response) {
        return null;
    }

    static Endpoint of(DataType dataType, String catalog) {
        return switch (dataType) {
            case USER_ATTRIBUTES -> new Track("attributes");
            case CUSTOM_EVENTS -> new Track("events");
            case PURCHASES -> new Track("purchases");
            case USER_DELETES -> new Delete();
            case CATALOG_ITEMS -> new Catalog(catalog);
        };
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

        Track(String array) {
            this.array = array;
        }

        @Override
        int batchLimit() {
            return BrazeLimits.TRACK_OBJECTS_PER_ARRAY;
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

    /** {@code /users/delete}: identifiers grouped by kind, as the endpoint expects. */
    static final class Delete extends Endpoint {
        @Override
        int batchLimit() {
            return BrazeLimits.DELETE_IDENTIFIERS_PER_REQUEST;
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

    /** Catalog items of one catalog: upserts and deletes in separate requests. */
    static final class Catalog extends Endpoint {
        private final String catalog;

        Catalog(String catalog) {
            this.catalog = catalog;
        }

        @Override
        int batchLimit() {
            return BrazeLimits.CATALOG_ITEMS_PER_REQUEST;
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
