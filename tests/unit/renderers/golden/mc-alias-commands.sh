mc alias set kna1 https://s3-kna1.citycloud.com AKIAEXAMPLEKNA1AAAAA wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY --api S3v4 --path on
mc alias set sto2 http://127.0.0.1:8081 AKIAEXAMPLESTO2BBBBB 0123456789abcdef0123456789abcdef --api S3v4 --path on
