# The source document's stateless server ("Stateless Request Handling"),
# ported to run: nothing changed but what running it here needs.
#
#   - `--port` and `--host` are parameters (the document hard-codes
#     localhost:8080 as the function's defaults, which stay the defaults);
#   - once bound, it prints the workbook's ready line,
#     "UDP server listening on HOST:PORT", with the port it really got
#     (the document prints "Stateless UDP server on {host}:{port}"), and
#     flushes it, since Python holds back output written to a pipe;
#   - `import socket` and the entry point, which the excerpt leaves out.
#
# Run:    python3 lessons/06-stateless-requests/document.py --port 41236
# Poke:   printf TIME | nc -u -w1 127.0.0.1 41236
# Grade:  npm start -- check 06 --server \
#           "python3 lessons/06-stateless-requests/document.py"

import argparse
import socket


def stateless_udp_server(host='localhost', port=8080):
    """Stateless UDP server - each request is independent."""

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((host, port))

    bound_host, bound_port = server.getsockname()
    print(f"UDP server listening on {bound_host}:{bound_port}", flush=True)

    while True:
        data, client_address = server.recvfrom(1024)

        # Each request is independent - no state tracking
        try:
            request = data.decode()
            response = handle_request(request)
            server.sendto(response.encode(), client_address)
        except Exception as e:
            error_msg = f"Error: {e}".encode()
            server.sendto(error_msg, client_address)


def handle_request(request):
    """Handle a single request (stateless)."""
    # No memory of previous requests
    if request == "TIME":
        import datetime
        return datetime.datetime.now().isoformat()
    elif request.startswith("ECHO "):
        return request[5:]  # Return everything after "ECHO "
    else:
        return "Unknown command"


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=8080)
    parser.add_argument('--host', default='localhost')
    args = parser.parse_args()
    stateless_udp_server(args.host, args.port)
