/**
 * The JSON binder behind {@link dev.berth.oci.runtime.Json}: records to and from JSON over
 * jackson-core's streaming API, without databind's start-up cost. Not for use outside oci.
 */
package dev.berth.oci.internal.json;
