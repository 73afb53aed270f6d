# The source document's basic UDP server, ported to run under the workbook's checker: only
# --port and --host are new (the document binds 'localhost', 8080), and its first print names
# the address and port in the form the checker waits for. Everything else is the document's.
#
#   npm start -- check 02 --server "python3 lessons/02-basic-server/document.py"
#
# shows what the lesson says: recvfrom(1024) cuts longer datagrams short, and data.decode()
# raises on bytes that are not UTF-8, which ends the server.
import argparse
import socket

parser = argparse.ArgumentParser()
parser.add_argument('--port', type=int, default=8080)
parser.add_argument('--host', default='localhost')
args = parser.parse_args()

# Create UDP socket
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# Bind to address
server.bind((args.host, args.port))

print(f"UDP server listening on {args.host}:{server.getsockname()[1]}", flush=True)

# Receive and send
while True:
    # Receive data and client address
    data, client_address = server.recvfrom(1024)

    print(f"Received from {client_address}: {data.decode()}")

    # Send response back
    response = f"Echo: {data.decode()}".encode()
    server.sendto(response, client_address)
