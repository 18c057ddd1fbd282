"""The service: what checkin does for clients and therapists, whatever the transport."""
